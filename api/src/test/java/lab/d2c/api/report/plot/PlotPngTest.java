package lab.d2c.api.report.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import lab.d2c.api.report.SweepReport;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.Test;

/**
 * Each plot is a PNG of its stated size, and what the FID charts draw is the report's table: the same
 * means and interval ends, not a recomputation that could drift from it.
 */
class PlotPngTest {

    static final String FID = "fid-mnist-cls";

    /** Three arms: t interval over 3 seeds, one seed's bootstrap, one seed without an interval; one arm unscored. */
    static SweepReport report() {
        SweepReport.Stat t = new SweepReport.Stat(40.0, 2.0, 3, 35.03, 44.97, SweepReport.CI_STUDENT_T);
        SweepReport.Stat boot = new SweepReport.Stat(52.5, 0.0, 1, 49.0, 57.25, SweepReport.CI_BOOTSTRAP);
        SweepReport.Stat none = new SweepReport.Stat(61.0, 0.0, 1);
        List<SweepReport.Row> rows = List.of(
                new SweepReport.Row("mar", Map.of(), List.of(0L, 1L, 2L), 3, Map.of(FID, t), "mar"),
                new SweepReport.Row("cross-attention", Map.of(), List.of(0L), 1, Map.of(FID, boot), "cross-attention"),
                new SweepReport.Row("discrete-only", Map.of(), List.of(0L), 1, Map.of(FID, none), "discrete-only"),
                new SweepReport.Row("q-former", Map.of(), List.of(0L), 0, Map.of(), "q-former"));
        Map<String, List<SweepReport.Point>> series = new LinkedHashMap<>();
        series.put("mar", List.of(new SweepReport.Point(4, t), new SweepReport.Point(8, none)));
        return new SweepReport("paper-1", List.of(FID), rows,
                List.of(new SweepReport.Curve(FID, "stage2.sample.steps", series)), List.of());
    }

    static BufferedImage decode(byte[] png) throws Exception {
        assertThat(png).startsWith(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(img).as("ImageIO decodes it").isNotNull();
        return img;
    }

    @Test
    void fidPerArmBarsAreTheTablesMeansAndIntervalEnds() {
        SweepReport report = report();
        List<FidPerArmPlot.Bar> bars = FidPerArmPlot.bars(report, FID);
        assertThat(bars).extracting(FidPerArmPlot.Bar::arm).containsExactly("mar", "cross-attention", "discrete-only");
        YIntervalSeriesCollection data = FidPerArmPlot.dataset(bars);
        int found = 0;
        for (int s = 0; s < data.getSeriesCount(); s++) {
            for (int i = 0; i < data.getItemCount(s); i++) {
                int x = (int) data.getXValue(s, i);
                SweepReport.Stat stat = report.rows().get(x).values().get(FID);
                assertThat(data.getYValue(s, i)).isEqualTo(stat.mean());
                double low = stat.ciLow() != null ? stat.ciLow() : stat.mean() - stat.std();
                double high = stat.ciHigh() != null ? stat.ciHigh() : stat.mean() + stat.std();
                assertThat(data.getStartYValue(s, i)).as("low end of %s", report.rows().get(x).arm()).isEqualTo(low);
                assertThat(data.getEndYValue(s, i)).as("high end of %s", report.rows().get(x).arm()).isEqualTo(high);
                found++;
            }
        }
        assertThat(found).as("every scored arm drawn once, the unscored one not").isEqualTo(3);
        // the bootstrap interval is asymmetric: it must be drawn as it is, not as mean +- something
        assertThat(data.getStartYValue(1, 0)).isEqualTo(49.0);
        assertThat(data.getEndYValue(1, 0)).isEqualTo(57.25);
        assertThat(data.getSeriesKey(0).toString()).contains("Student t");
        assertThat(data.getSeriesKey(1).toString()).contains("bootstrap");
        assertThat(data.getSeriesKey(2).toString()).contains("std");
        assertThat(FidPerArmPlot.metrics(report)).containsExactly(FID);
    }

    @Test
    void fidCurvePointsAreTheCurvesStats() {
        SweepReport.Curve c = report().curves().get(0);
        YIntervalSeriesCollection data = FidCurvePlot.dataset(c);
        assertThat(data.getSeriesCount()).isEqualTo(1);
        assertThat(data.getXValue(0, 0)).isEqualTo(4.0);
        assertThat(data.getYValue(0, 0)).isEqualTo(40.0);
        assertThat(data.getStartYValue(0, 0)).isEqualTo(35.03);
        assertThat(data.getEndYValue(0, 1)).isEqualTo(61.0);
        assertThat(FidCurvePlot.name(c)).isEqualTo(FID + "-vs-steps");
        assertThat(FidCurvePlot.name(new SweepReport.Curve(FID, "stage2.sample.guidance_scale", Map.of())))
                .isEqualTo(FID + "-vs-guidance");
    }

    @Test
    void chartsArePngsOfTheStatedSize() throws Exception {
        SweepReport report = report();
        Map<String, TreeMap<Long, Double>> loss = new LinkedHashMap<>();
        loss.put("mar", new TreeMap<>(Map.of(0L, 2.5, 10L, 1.5, 20L, 1.0)));
        loss.put("discrete-only", new TreeMap<>(Map.of(0L, 3.0, 10L, 2.0)));
        for (byte[] png : List.of(FidPerArmPlot.render(report, FID), FidCurvePlot.render("paper-1", report.curves().get(0)),
                LossCurvePlot.render("paper-1", loss, List.of("train-stage2"), "one seed"))) {
            BufferedImage img = decode(png);
            assertThat(img.getWidth()).isEqualTo(Png.CHART_WIDTH);
            assertThat(img.getHeight()).isEqualTo(Png.CHART_HEIGHT);
        }
    }

    @Test
    void lossIsAveragedOverSeedsOnlyAtStepsEverySeedLogged() {
        TreeMap<Long, Double> mean = LossCurvePlot.meanOverSeeds(List.of(
                new TreeMap<>(Map.of(0L, 4.0, 10L, 2.0, 20L, 1.0)), new TreeMap<>(Map.of(0L, 2.0, 10L, 1.0))));
        assertThat(mean).containsExactlyEntriesOf(new TreeMap<>(Map.of(0L, 3.0, 10L, 1.5)));
        assertThat(LossCurvePlot.dataset(Map.of("mar", mean)).getSeries(0).getY(1).doubleValue()).isEqualTo(1.5);
    }
}
