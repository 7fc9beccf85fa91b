package lab.d2c.api.report.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.d2c.api.report.SweepReport;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * One FID metric per arm: the mean over seeds as a point, the error bar its 95% interval (Student t over
 * seeds, or one seed's FID bootstrap) when the report has one, else mean +- std. One series per kind of
 * bar, so the legend says what each bar is. {@link Png#CHART_WIDTH} x {@link Png#CHART_HEIGHT}.
 */
public final class FidPerArmPlot {

    /** The bar kind when an arm has no interval: mean +- sample std (0 with one seed). */
    public static final String STD = "std";

    private static final Map<String, String> LEGEND = Map.of(
            SweepReport.CI_STUDENT_T, "95% CI over seeds (Student t)",
            SweepReport.CI_BOOTSTRAP, "one seed: 95% bootstrap CI over samples",
            STD, "mean \u00b1 std (no interval)");

    /**
     * What is drawn for one arm.
     *
     * @param x        the arm's row index in the report (its place on the axis)
     * @param interval {@link SweepReport#CI_STUDENT_T}, {@link SweepReport#CI_BOOTSTRAP} or {@link #STD}
     */
    public record Bar(String arm, int x, double mean, double low, double high, String interval) {
    }

    private FidPerArmPlot() {
    }

    /** The report's FID metrics that at least one row has: one plot each. */
    public static List<String> metrics(SweepReport report) {
        return report.metrics().stream().filter(m -> m.startsWith("fid-"))
                .filter(m -> report.rows().stream().anyMatch(r -> r.values().containsKey(m))).toList();
    }

    /** The bars of the rows that have {@code metric}, taken from the report's table as they are. */
    public static List<Bar> bars(SweepReport report, String metric) {
        List<Bar> bars = new ArrayList<>();
        for (int i = 0; i < report.rows().size(); i++) {
            SweepReport.Row row = report.rows().get(i);
            SweepReport.Stat s = row.values().get(metric);
            if (s == null) {
                continue;
            }
            boolean ci = s.ciLow() != null && s.ciHigh() != null;
            bars.add(ci ? new Bar(row.arm(), i, s.mean(), s.ciLow(), s.ciHigh(), s.ci())
                    : new Bar(row.arm(), i, s.mean(), s.mean() - s.std(), s.mean() + s.std(), STD));
        }
        return bars;
    }

    /** The chart's data: one series per bar kind (legend text), x the row index. */
    public static YIntervalSeriesCollection dataset(List<Bar> bars) {
        Map<String, YIntervalSeries> series = new LinkedHashMap<>();
        for (Bar b : bars) {
            series.computeIfAbsent(LEGEND.getOrDefault(b.interval(), b.interval()), YIntervalSeries::new)
                    .add(b.x(), b.mean(), b.low(), b.high());
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        series.values().forEach(data::addSeries);
        return data;
    }

    public static byte[] render(SweepReport report, String metric) {
        List<String> arms = report.rows().stream().map(SweepReport.Row::arm).toList();
        SymbolAxis x = new SymbolAxis("arm", arms.toArray(String[]::new));
        // long arm labels (k=v/k=v) overlap when written across
        x.setVerticalTickLabels(arms.size() > 4 || arms.stream().anyMatch(a -> a.length() > 18));
        x.setGridBandsVisible(false);
        NumberAxis y = new NumberAxis(metric + " (lower is better)");
        y.setAutoRangeIncludesZero(false);
        XYErrorRenderer bars = new XYErrorRenderer();
        bars.setDrawXError(false);
        bars.setDefaultLinesVisible(false);
        bars.setCapLength(10);
        bars.setErrorStroke(new BasicStroke(2f));
        bars.setErrorPaint(new Color(0x444444));
        XYPlot plot = new XYPlot(dataset(bars(report, metric)), x, y, bars);
        return Png.chart(new JFreeChart(metric + " per arm, " + report.sweepId(), JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }
}
