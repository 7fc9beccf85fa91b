package lab.d2c.workers.training;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Supplier;
import lab.d2c.model.train.LrSchedule;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeContext;

/** Reads a trainer's {@code <section>.train} settings and typed config values, naming the key when one is bad. */
public final class TrainingSettings {

    private TrainingSettings() {
    }

    /** The training loop's settings of {@code <section>.train}; the seed is {@code <section>.seed}. */
    public static TrainConfig training(NodeContext ctx, String section) {
        String p = section + ".train.";
        return build(section + ".train", () -> TrainConfig.builder()
                .setSteps(ctx.required(p + "steps").asLong())
                .setBatchSize(integer(ctx, p + "batch_size"))
                .setLr(ctx.required(p + "lr").asDouble())
                .setSeed(ctx.required(section + ".seed").asLong())
                .optWarmupSteps(ctx.required(p + "warmup_steps").asLong())
                .optLrSchedule(LrSchedule.parse(ctx.required(p + "lr_schedule").asText()))
                .optWeightDecay(ctx.required(p + "weight_decay").asDouble())
                .optClipNorm(ctx.required(p + "clip_norm").asDouble())
                .optEmaDecay(ctx.required(p + "ema_decay").asDouble())
                .optCheckpointEvery(ctx.required(p + "checkpoint_every").asLong())
                .optDevice(ctx.device())
                .optBetas(beta(ctx, p + "adam_beta1", DEFAULT_BETA1), beta(ctx, p + "adam_beta2", DEFAULT_BETA2))
                .build());
    }

    /** The loop's betas where a section has no keys for them (only RDPM's sections state theirs). */
    private static final double DEFAULT_BETA1 = 0.9;
    private static final double DEFAULT_BETA2 = 0.95;

    private static double beta(NodeContext ctx, String key, double absent) {
        JsonNode v = ctx.config().at("/" + key.replace('.', '/'));
        return v.isMissingNode() || v.isNull() ? absent : v.asDouble();
    }

    /**
     * A generator's held-out settings: {@code <section>.train.holdout} (fraction of its images held out of
     * the batches, 0 = none) and {@code <section>.train.eval_every} (steps between held-out evaluations).
     * Both absent (a config written before issue 24) reads as no held-out set, the earlier behaviour.
     * {@code <section>.train.until_converged} (absent: false) makes {@code steps} a cap: the run stops at the
     * first evaluation where the convergence criterion holds at it and at the evaluation before.
     */
    public static Validation validation(NodeContext ctx, String section) {
        String p = section + ".train.";
        JsonNode fraction = ctx.config().at("/" + p.replace('.', '/') + "holdout");
        if (fraction.isMissingNode()) {
            return new Validation(0, 0, false);
        }
        double holdout = fraction.asDouble();
        long every = ctx.required(p + "eval_every").asLong();
        if (!(holdout >= 0 && holdout <= 0.5) || every < 1) {
            throw new BadNodeInputException(p + "holdout must be in [0, 0.5] and " + p + "eval_every >= 1, got "
                    + holdout + " and " + every);
        }
        JsonNode until = ctx.config().at("/" + p.replace('.', '/') + "until_converged");
        boolean untilConverged = !until.isMissingNode() && !until.isNull() && until.asBoolean();
        if (untilConverged && holdout == 0) {
            throw new BadNodeInputException(p + "until_converged needs a held-out set to judge convergence on: "
                    + p + "holdout must be > 0, got 0");
        }
        return new Validation(holdout, every, untilConverged);
    }

    /**
     * @param holdout        fraction of images held out (0 = none)
     * @param evalEvery      steps between evaluations
     * @param untilConverged stop at convergence (steps is the cap) instead of training the fixed budget
     */
    public record Validation(double holdout, long evalEvery, boolean untilConverged) {

        /** A fixed budget. */
        public Validation(double holdout, long evalEvery) {
            this(holdout, evalEvery, false);
        }
    }

    public static int integer(NodeContext ctx, String key) {
        JsonNode v = ctx.required(key);
        if (!v.canConvertToInt()) {
            throw new BadNodeInputException(key + ": expected an integer, got " + v);
        }
        return v.asInt();
    }

    /** Builds a model-lib record; its IllegalArgumentException (naming the field) becomes a bad-input failure of {@code section}. */
    public static <T> T build(String section, Supplier<T> f) {
        try {
            return f.get();
        } catch (BadNodeInputException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new BadNodeInputException(section + ": " + e.getMessage(), e);
        }
    }
}
