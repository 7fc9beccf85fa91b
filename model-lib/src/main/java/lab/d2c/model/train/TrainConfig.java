package lab.d2c.model.train;

import lab.d2c.model.runtime.Devices;

/**
 * Settings of one training run. The canonical constructor validates every field and names the
 * one that is wrong.
 *
 * @param steps           optimizer steps in the whole run (a resumed run counts from 0 too)
 * @param batchSize       items per step
 * @param lr              base learning rate
 * @param warmupSteps     linear warmup length; 0 = none
 * @param lrSchedule      what follows the warmup: constant, or cosine decay to 0 at the last step
 * @param weightDecay     decoupled weight decay of rank &gt;= 2 parameters (AdamW)
 * @param beta1           first-moment decay, usually 0.9
 * @param beta2           second-moment decay, usually 0.95
 * @param eps             denominator guard, usually 1e-8
 * @param clipNorm        global gradient-norm limit; &lt;= 0 = no clipping
 * @param emaDecay        EMA decay of the weights (e.g. 0.9999); &lt;= 0 = no EMA
 * @param seed            run seed: parameter init, data order and every random draw derive from it
 * @param checkpointEvery steps between checkpoints; 0 = only at the end
 * @param logEvery        steps between log lines of the loop; 0 = none (listeners see every step)
 * @param device          {@code cpu} or {@code gpu:N}
 */
public record TrainConfig(long steps, int batchSize, double lr, long warmupSteps, LrSchedule lrSchedule,
        double weightDecay, double beta1,
        double beta2, double eps, double clipNorm, double emaDecay, long seed, long checkpointEvery, long logEvery,
        String device) {

    public TrainConfig {
        require(steps > 0, "steps", "must be > 0", steps);
        require(batchSize > 0, "batchSize", "must be > 0", batchSize);
        require(lr > 0 && Double.isFinite(lr), "lr", "must be a finite number > 0", lr);
        require(warmupSteps >= 0, "warmupSteps", "must be >= 0", warmupSteps);
        require(lrSchedule != null, "lrSchedule", "is required", null);
        require(lrSchedule != LrSchedule.COSINE || steps > warmupSteps, "steps",
                "must exceed warmupSteps (" + warmupSteps + ") for a cosine schedule", steps);
        require(weightDecay >= 0 && Double.isFinite(weightDecay), "weightDecay", "must be a finite number >= 0",
                weightDecay);
        require(beta1 >= 0 && beta1 < 1, "beta1", "must be in [0, 1)", beta1);
        require(beta2 >= 0 && beta2 < 1, "beta2", "must be in [0, 1)", beta2);
        require(eps > 0 && Double.isFinite(eps), "eps", "must be a finite number > 0", eps);
        require(!Double.isNaN(clipNorm), "clipNorm", "must be a number (<= 0 turns clipping off)", clipNorm);
        require(!Double.isNaN(emaDecay) && emaDecay < 1, "emaDecay", "must be < 1 (<= 0 turns EMA off)", emaDecay);
        require(checkpointEvery >= 0, "checkpointEvery", "must be >= 0 (0 = only at the end)", checkpointEvery);
        require(logEvery >= 0, "logEvery", "must be >= 0 (0 = no log lines)", logEvery);
        try {
            Devices.parse(device);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("TrainConfig.device: " + e.getMessage(), e);
        }
    }

    private static void require(boolean ok, String field, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("TrainConfig." + field + " " + rule + ", got " + value);
        }
    }

    public boolean clipping() {
        return clipNorm > 0;
    }

    public boolean ema() {
        return emaDecay > 0;
    }

    /**
     * The settings a checkpoint must agree with to resume exactly. Leaves out what may change
     * between attempts without changing the numbers: checkpoint and log cadence, device, and total
     * steps under the constant schedule (a cosine schedule's every rate depends on them).
     */
    public String fingerprint() {
        String base = "batchSize=" + batchSize + ";lr=" + lr + ";warmupSteps=" + warmupSteps + ";weightDecay="
                + weightDecay + ";beta1=" + beta1 + ";beta2=" + beta2 + ";eps=" + eps + ";clipNorm=" + clipNorm
                + ";emaDecay=" + emaDecay + ";seed=" + seed;
        // constant runs keep the fingerprint they had before schedules were configurable
        return lrSchedule == LrSchedule.CONSTANT ? base : base + ";lrSchedule=" + lrSchedule.configName()
                + ";steps=" + steps;
    }

    public TrainConfig withSteps(long newSteps) {
        return new TrainConfig(newSteps, batchSize, lr, warmupSteps, lrSchedule, weightDecay, beta1, beta2, eps,
                clipNorm, emaDecay, seed, checkpointEvery, logEvery, device);
    }

    public TrainConfig withBatchSize(int newBatchSize) {
        return new TrainConfig(steps, newBatchSize, lr, warmupSteps, lrSchedule, weightDecay, beta1, beta2, eps,
                clipNorm, emaDecay, seed, checkpointEvery, logEvery, device);
    }

    public TrainConfig withDevice(String newDevice) {
        return new TrainConfig(steps, batchSize, lr, warmupSteps, lrSchedule, weightDecay, beta1, beta2, eps,
                clipNorm, emaDecay, seed, checkpointEvery, logEvery, newDevice);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** setX: required; optX: optional with the usual default. */
    public static final class Builder {
        private Long steps;
        private Integer batchSize;
        private Double lr;
        private Long seed;
        private long warmupSteps;
        private LrSchedule lrSchedule = LrSchedule.CONSTANT;
        private double weightDecay;
        private double beta1 = 0.9;
        private double beta2 = 0.95;
        private double eps = 1e-8;
        private double clipNorm = 1.0;
        private double emaDecay;
        private long checkpointEvery;
        private long logEvery;
        private String device = "cpu";

        private Builder() {
        }

        public Builder setSteps(long steps) {
            this.steps = steps;
            return this;
        }

        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder setLr(double lr) {
            this.lr = lr;
            return this;
        }

        public Builder setSeed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder optWarmupSteps(long warmupSteps) {
            this.warmupSteps = warmupSteps;
            return this;
        }

        /** Default {@link LrSchedule#CONSTANT}. */
        public Builder optLrSchedule(LrSchedule lrSchedule) {
            this.lrSchedule = lrSchedule;
            return this;
        }

        public Builder optWeightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        public Builder optBetas(double beta1, double beta2) {
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        public Builder optEps(double eps) {
            this.eps = eps;
            return this;
        }

        /** Default 1.0; &lt;= 0 turns clipping off. */
        public Builder optClipNorm(double clipNorm) {
            this.clipNorm = clipNorm;
            return this;
        }

        /** Default 0 (no EMA). */
        public Builder optEmaDecay(double emaDecay) {
            this.emaDecay = emaDecay;
            return this;
        }

        public Builder optCheckpointEvery(long checkpointEvery) {
            this.checkpointEvery = checkpointEvery;
            return this;
        }

        public Builder optLogEvery(long logEvery) {
            this.logEvery = logEvery;
            return this;
        }

        /** Default {@code cpu}. */
        public Builder optDevice(String device) {
            this.device = device;
            return this;
        }

        public TrainConfig build() {
            missing(steps, "steps");
            missing(batchSize, "batchSize");
            missing(lr, "lr");
            missing(seed, "seed");
            return new TrainConfig(steps, batchSize, lr, warmupSteps, lrSchedule, weightDecay, beta1, beta2, eps,
                    clipNorm, emaDecay, seed, checkpointEvery, logEvery, device);
        }

        private static void missing(Object value, String field) {
            if (value == null) {
                throw new IllegalArgumentException("TrainConfig." + field + " is required (call set"
                        + Character.toUpperCase(field.charAt(0)) + field.substring(1) + ")");
            }
        }
    }
}
