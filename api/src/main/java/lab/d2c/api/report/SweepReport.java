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
 * @param comparisons the FID differences of the pairs of arms the paper compares ({@link ArmFamily#PAIRS})
 */
public record SweepReport(@JsonProperty("sweep_id") String sweepId, List<String> metrics, List<Row> rows, List<Curve> curves,
        List<Comparison> comparisons) {

    /** How a {@link Stat}'s interval was made. */
    public static final String CI_STUDENT_T = "student-t";
    /** One seed, an FID: its bootstrap interval over the samples stands in (sampling error only). */
    public static final String CI_BOOTSTRAP = "bootstrap";
    /** One seed and no bootstrap: no interval. */
    public static final String CI_NONE = "none";

    /**
     * Mean and sample standard deviation (n - 1; 0 with one seed) over the seeds that have the metric,
     * and a 95% interval: with n >= 2 seeds mean +- t(0.975; n - 1) std / sqrt(n) ({@link #CI_STUDENT_T});
     * with one seed of an FID, its bootstrap interval ({@link #CI_BOOTSTRAP}); else none ({@link #CI_NONE},
     * bounds null).
     */
    public record Stat(double mean, double std, int n, @JsonProperty("ci_low") Double ciLow,
            @JsonProperty("ci_high") Double ciHigh, String ci) {

        public Stat(double mean, double std, int n) {
            this(mean, std, n, null, null, CI_NONE);
        }
    }

    /**
     * FID(a) - FID(b) for one pair of rows, the seed means' difference, with the percentile 95% interval
     * of the pooled bootstrap replicates' differences ({@link FidDifference}).
     *
     * @param ciLow        null when either arm has no replicates (eval.bootstrap 0)
     * @param excludesZero whether the interval lies wholly on one side of zero; null without an interval
     * @param replicates   how many replicate differences the interval is from (0 without)
     */
    public record Comparison(String metric, String a, String b, @JsonProperty("family_a") String familyA,
            @JsonProperty("family_b") String familyB, double difference, @JsonProperty("ci_low") Double ciLow,
            @JsonProperty("ci_high") Double ciHigh, @JsonProperty("excludes_zero") Boolean excludesZero,
            int replicates) {
    }

    /**
     * @param arm    the arm's label
     * @param params its parameters
     * @param seeds  its seeds, in order
     * @param done   how many of its experiments have scores
     * @param values metric to its statistics (absent when no seed has it yet)
     * @param family what the arm scores ({@link ArmFamily}); null when unknown
     * @param training its generators' budgets and convergence, by trainer kind ({@link #GENERATORS}); empty when
     *               none is known yet
     */
    public record Row(String arm, Map<String, Object> params, List<Long> seeds, int done, Map<String, Stat> values,
            String family, Map<String, Training> training) {

        public Row(String arm, Map<String, Object> params, List<Long> seeds, int done, Map<String, Stat> values,
                String family) {
            this(arm, params, seeds, done, values, family, Map.of());
        }
    }

    /** The generator trainers whose budgets a row shows (workflows' TrainStage1Node, TrainStage2Node, TrainRdpmNode). */
    public static final List<String> GENERATORS = List.of("train-stage1", "train-stage2", "train-rdpm");

    /**
     * One generator of an arm, over the distinct trained models of its seeds ({@code runs}; seeds often share
     * one, the trainers have their own seed). Budget from the first run (an arm's runs share their settings).
     *
     * @param converged      true when every judged run met the criterion (docs/evaluation.md), false when any did
     *                       not, null when none was judged
     * @param convergedRuns  runs that met it
     * @param judgedRuns     runs that could be judged (a held-out set and enough evaluations)
     * @param finalValLoss   mean of the runs' last held-out loss; null without one
     * @param improvement    mean relative held-out improvement over the last 20% of the steps; null when not judged
     * @param stepCap        the cap of a run trained until converged ({@code steps}: the first run's, where it
     *                       stopped); null for a fixed budget
     */
    public record Training(int runs, long steps, @JsonProperty("batch_size") int batchSize,
            @JsonProperty("items_seen") long itemsSeen, double epochs, Boolean converged,
            @JsonProperty("converged_runs") int convergedRuns, @JsonProperty("judged_runs") int judgedRuns,
            @JsonProperty("final_val_loss") Double finalValLoss, Double improvement,
            @JsonProperty("step_cap") Long stepCap) {
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
