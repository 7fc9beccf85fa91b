package lab.d2c.api.report;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * A sweep's ablation table and curves.
 *
 * @param sweepId the sweep
 * @param metrics the metric columns, sorted (fid-*, is-*, precision-*, recall-* ...)
 * @param rows    one per arm, in arm order
 * @param curves  FID against a varied sampling setting; empty when the sweep varies none
 */
public record SweepReport(@JsonProperty("sweep_id") String sweepId, List<String> metrics, List<Row> rows, List<Curve> curves) {

    /** Mean and sample standard deviation (n - 1; 0 with one seed) over the seeds that have the metric. */
    public record Stat(double mean, double std, int n) {
    }

    /**
     * @param arm    the arm's label
     * @param params its parameters
     * @param seeds  its seeds, in order
     * @param done   how many of its experiments have scores
     * @param values metric to its statistics (absent when no seed has it yet)
     */
    public record Row(String arm, Map<String, Object> params, List<Long> seeds, int done, Map<String, Stat> values) {
    }

    /** One point: the setting's value and the metric's statistics there. */
    public record Point(double x, Stat y) {
    }

    /**
     * @param metric the y metric (an FID)
     * @param x      the varied key, e.g. {@code stage2.sample.steps}
     * @param series the other parameters' label to points in increasing x
     */
    public record Curve(String metric, String x, Map<String, List<Point>> series) {
    }
}
