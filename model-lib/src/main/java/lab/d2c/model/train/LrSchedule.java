package lab.d2c.model.train;

import java.util.Locale;

/** The learning-rate schedules a training config names ({@code train.lr_schedule}). */
public enum LrSchedule {
    /** Warmup, then the base rate to the end (MAR's and LlamaGen's default). */
    CONSTANT,
    /** Warmup, then cosine decay to 0 at the last step; the run's length changes every step's rate. */
    COSINE;

    /** The schedule of a run with these settings. */
    public LearningRate rate(TrainConfig config) {
        return switch (this) {
            case CONSTANT -> LearningRate.warmupThenConstant(config.lr(), config.warmupSteps());
            case COSINE -> LearningRate.warmupThenCosine(config.lr(), config.warmupSteps(), config.steps());
        };
    }

    /** {@code constant} or {@code cosine}, as configs spell them. */
    public static LrSchedule parse(String name) {
        for (LrSchedule s : values()) {
            if (s.configName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("lr_schedule: must be constant or cosine, got '" + name + "'");
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
