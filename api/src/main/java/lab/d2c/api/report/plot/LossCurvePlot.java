package lab.d2c.api.report.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The training loss ({@code train/loss}) of each arm's generator trainer against its step, averaged
 * over the arm's seeds at the steps all of them logged. {@link Png#CHART_WIDTH} x {@link Png#CHART_HEIGHT}.
 */
public final class LossCurvePlot {

    /** The metric series drawn: the trainers' training loss. */
    public static final String METRIC = "train/loss";

    private LossCurvePlot() {
    }

    /**
     * The mean of the seeds' series at each step every one of them has (a seed still training would
     * otherwise pull the tail of the mean to its own values).
     *
     * @param seeds per seed, step to value
     */
    public static TreeMap<Long, Double> meanOverSeeds(List<? extends Map<Long, Double>> seeds) {
        TreeMap<Long, Double> mean = new TreeMap<>();
        if (seeds.isEmpty()) {
            return mean;
        }
        for (Long step : seeds.get(0).keySet()) {
            double sum = 0;
            boolean all = true;
            for (Map<Long, Double> s : seeds) {
                Double v = s.get(step);
                if (v == null) {
                    all = false;
                    break;
                }
                sum += v;
            }
            if (all) {
                mean.put(step, sum / seeds.size());
            }
        }
        return mean;
    }

    /** @param arms arm label to its (seed-averaged) loss by step, in arm order */
    public static XYSeriesCollection dataset(Map<String, ? extends Map<Long, Double>> arms) {
        XYSeriesCollection data = new XYSeriesCollection();
        arms.forEach((arm, points) -> {
            XYSeries s = new XYSeries(arm, true, false);
            points.forEach(s::add);
            data.addSeries(s);
        });
        return data;
    }

    /**
     * @param arms      arm label to its loss by step
     * @param trainers  the node kinds the curves come from, for the title
     * @param seedNote  e.g. "mean over 3 seeds"
     */
    public static byte[] render(String sweepId, Map<String, ? extends Map<Long, Double>> arms, List<String> trainers,
            String seedNote) {
        NumberAxis x = new NumberAxis("step");
        NumberAxis y = new NumberAxis(METRIC);
        y.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(dataset(arms), x, y, new XYLineAndShapeRenderer(true, false));
        List<String> note = new ArrayList<>(trainers);
        note.add(seedNote);
        return Png.chart(new JFreeChart("Training loss per arm, " + sweepId + " (" + String.join(", ", note) + ")",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true));
    }
}
