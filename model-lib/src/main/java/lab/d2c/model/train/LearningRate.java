package lab.d2c.model.train;

/** A learning-rate schedule: the rate of a 0-based step. {@link LrSchedule} names the ones a config picks. */
@FunctionalInterface
public interface LearningRate {

    double at(long step);

    /**
     * Linear warmup from {@code base / warmupSteps} at step 0 to {@code base} at step
     * {@code warmupSteps - 1}, then constant. Starting above 0 keeps step 0 from being wasted.
     */
    static LearningRate warmupThenConstant(double base, long warmupSteps) {
        if (!(base > 0) || !Double.isFinite(base)) {
            throw new IllegalArgumentException("base learning rate must be a finite number > 0, got " + base);
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
        return step -> step < warmupSteps ? base * (step + 1) / warmupSteps : base;
    }

    /**
     * The same warmup, then cosine decay to 0 at the end of the run, as MAR's {@code lr_schedule cosine}
     * (with {@code min_lr} 0): {@code base * (1 + cos(pi * (step - warmup) / (steps - warmup))) / 2}.
     */
    static LearningRate warmupThenCosine(double base, long warmupSteps, long steps) {
        LearningRate warmup = warmupThenConstant(base, warmupSteps);
        if (steps <= warmupSteps) {
            throw new IllegalArgumentException("steps (" + steps + ") must exceed warmupSteps (" + warmupSteps
                    + ") for a cosine decay");
        }
        return step -> step < warmupSteps ? warmup.at(step)
                : base * 0.5 * (1 + Math.cos(Math.PI * (step - warmupSteps) / (double) (steps - warmupSteps)));
    }

    static LearningRate constant(double base) {
        return warmupThenConstant(base, 0);
    }
}
