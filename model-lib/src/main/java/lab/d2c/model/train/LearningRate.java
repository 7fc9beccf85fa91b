package lab.d2c.model.train;

/** A learning-rate schedule: the rate of a 0-based step. Later schedules (cosine, ...) implement it too. */
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

    static LearningRate constant(double base) {
        return warmupThenConstant(base, 0);
    }
}
