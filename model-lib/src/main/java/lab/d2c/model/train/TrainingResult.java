package lab.d2c.model.train;

/**
 * @param startStep step index this invocation started at (0, or the resumed checkpoint's step)
 * @param finalStep steps completed when it returned
 * @param lastLoss  loss of the last step run (NaN when none ran)
 * @param losses    loss of every step run by this invocation, index 0 = {@code startStep}; empty
 *                  when more than {@link TrainingLoop#LOSS_HISTORY_LIMIT} steps ran
 * @param stopped   true when the stop signal ended the run before {@code TrainConfig.steps}
 * @param stoppedEarly true when the early-stop rule ended the run, finished, before {@code TrainConfig.steps}
 */
public record TrainingResult(long startStep, long finalStep, double lastLoss, float[] losses, boolean stopped,
        boolean stoppedEarly) {

    /** A run without an early-stop rule. */
    public TrainingResult(long startStep, long finalStep, double lastLoss, float[] losses, boolean stopped) {
        this(startStep, finalStep, lastLoss, losses, stopped, false);
    }
}
