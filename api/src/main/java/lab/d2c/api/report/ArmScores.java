package lab.d2c.api.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * What one experiment contributes to a report.
 *
 * @param label      the arm without its seed (e.g. {@code mar/stage2.sample.steps=16}); seeds of one arm share it
 * @param params     the arm's grid point and arms-list name; the named arm's own overrides are left out, its
 *                   name stands for them (never the seed)
 * @param seed       the run seed
 * @param status     the experiment's status
 * @param metrics    metric name to value, from its evaluate node; empty until it has run
 * @param family     {@link ArmFamily#of} its config; null when unknown
 * @param replicates FID metric (e.g. {@code fid-mnist-cls}) to its bootstrap replicates; empty without them
 * @param training   the generators its evaluate node's images came from, by trainer kind; empty when unknown
 */
public record ArmScores(String label, ObjectNode params, long seed, String status, Map<String, Double> metrics,
        String family, Map<String, double[]> replicates, Map<String, GeneratorBudget> training) {

    public ArmScores(String label, ObjectNode params, long seed, String status, Map<String, Double> metrics) {
        this(label, params, seed, status, metrics, null, Map.of());
    }

    public ArmScores(String label, ObjectNode params, long seed, String status, Map<String, Double> metrics,
            String family, Map<String, double[]> replicates) {
        this(label, params, seed, status, metrics, family, replicates, Map.of());
    }
}
