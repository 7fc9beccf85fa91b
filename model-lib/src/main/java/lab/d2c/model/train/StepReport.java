package lab.d2c.model.train;

import java.util.Map;

/**
 * Progress after one step.
 *
 * @param step           0-based index of the step that just ran
 * @param totalSteps     steps of the whole run
 * @param loss           its loss
 * @param metrics        the model's extra scalars of that step
 * @param lr             learning rate used
 * @param gradNorm       global gradient norm before clipping
 * @param stepsPerSecond throughput of this process since it (re)started
 * @param etaSeconds     remaining steps at that throughput
 */
public record StepReport(long step, long totalSteps, double loss, Map<String, Double> metrics, double lr,
        double gradNorm, double stepsPerSecond, double etaSeconds) {
}
