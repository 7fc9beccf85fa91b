package lab.d2c.model.train;

/**
 * Progress callbacks; called on the training thread between steps. Listeners decide how often to
 * act. Throwing stops the loop (the exception propagates out of {@link TrainingLoop#run()}).
 */
public interface TrainingListener {

    /** Called after every step. */
    default void onStep(StepReport report) {
    }

    /** Called after the {@link CheckpointSink} has saved the checkpoint of {@code step} completed steps. */
    default void onCheckpoint(long step) {
    }
}
