package lab.d2c.api.report.plot;

import java.util.List;
import java.util.Map;
import lab.d2c.api.report.SweepReport;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * FID against a sampling setting the sweep varies ({@code stage2.sample.steps}, {@code guidance_scale}):
 * the report's {@link SweepReport.Curve}, one line per combination of the other params, error bars the
 * point's 95% interval over seeds when it has one, else +- std. {@link Png#CHART_WIDTH} x
 * {@link Png#CHART_HEIGHT}.
 */
public final class FidCurvePlot {

    private FidCurvePlot() {
    }

    /** The plot's name: {@code <metric>-vs-steps} or {@code <metric>-vs-guidance}. */
    public static String name(SweepReport.Curve curve) {
        String key = curve.x().substring(curve.x().lastIndexOf('.') + 1);
        return curve.metric() + "-vs-" + (key.equals("guidance_scale") ? "guidance" : key);
    }

    public static YIntervalSeriesCollection dataset(SweepReport.Curve curve) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Map.Entry<String, List<SweepReport.Point>> line : curve.series().entrySet()) {
            YIntervalSeries s = new YIntervalSeries(line.getKey());
            for (SweepReport.Point p : line.getValue()) {
                SweepReport.Stat y = p.y();
                boolean ci = y.ciLow() != null && y.ciHigh() != null;
                s.add(p.x(), y.mean(), ci ? y.ciLow() : y.mean() - y.std(), ci ? y.ciHigh() : y.mean() + y.std());
            }
            data.addSeries(s);
        }
        return data;
    }

    public static byte[] render(String sweepId, SweepReport.Curve curve) {
        NumberAxis x = new NumberAxis(curve.x());
        x.setAutoRangeIncludesZero(false);
        NumberAxis y = new NumberAxis(curve.metric() + " (lower is better)");
        y.setAutoRangeIncludesZero(false);
        XYErrorRenderer r = new XYErrorRenderer();
        r.setDrawXError(false);
        r.setDefaultLinesVisible(true);
        r.setCapLength(8);
        XYPlot plot = new XYPlot(dataset(curve), x, y, r);
        return Png.chart(new JFreeChart(curve.metric() + " vs " + curve.x() + ", " + sweepId + " (bars: 95% CI over seeds, else \u00b1 std)",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }
}
