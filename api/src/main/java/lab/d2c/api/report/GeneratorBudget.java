package lab.d2c.api.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one trained generator of an experiment got, from its node result's {@code training} member
 * (workers' TrainingRun): the budget and the convergence verdict on its held-out loss.
 *
 * @param kind          the trainer's node kind ({@code train-stage1}, {@code train-stage2}, {@code train-rdpm})
 * @param node          its node key (seeds of an arm may share it)
 * @param converged     null when not judged (no held-out set, too few evaluations)
 * @param improvement   relative val/loss improvement over the last 20% of the steps; null when not judged
 * @param finalValLoss  the last held-out loss; null without a held-out set
 * @param stepCap       the most steps it could train when it trained until converged ({@code steps} is what it
 *                      did); null for a fixed budget
 */
public record GeneratorBudget(String kind, String node, long steps, int batchSize, long itemsSeen, double epochs,
        Boolean converged, Double improvement, Double finalValLoss, Long stepCap) {

    /** A fixed budget. */
    public GeneratorBudget(String kind, String node, long steps, int batchSize, long itemsSeen, double epochs,
            Boolean converged, Double improvement, Double finalValLoss) {
        this(kind, node, steps, batchSize, itemsSeen, epochs, converged, improvement, finalValLoss, null);
    }

    /** Null when the result has no {@code training} member (a node trained before issue 24). */
    static GeneratorBudget of(String kind, String node, JsonNode result) {
        JsonNode t = result == null ? null : result.get("training");
        if (t == null || !t.isObject()) {
            return null;
        }
        return new GeneratorBudget(kind, node, t.path("steps").asLong(), t.path("batch_size").asInt(),
                t.path("items_seen").asLong(), t.path("epochs").asDouble(), bool(t.get("converged")),
                number(t.get("improvement")), number(t.get("final_val_loss")),
                t.path("until_converged").asBoolean(false) ? Long.valueOf(t.path("step_cap").asLong()) : null);
    }

    private static Boolean bool(JsonNode v) {
        return v == null || v.isNull() ? null : v.asBoolean();
    }

    private static Double number(JsonNode v) {
        return v == null || v.isNull() ? null : v.asDouble();
    }
}
