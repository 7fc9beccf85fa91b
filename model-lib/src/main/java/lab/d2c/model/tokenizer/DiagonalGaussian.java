package lab.d2c.model.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.train.StepRandom;

/**
 * The KL-VAE posterior, LDM's {@code DiagonalGaussianDistribution}
 * (ldm/modules/distributions/distributions.py): the encoder's moments split along channels into
 * mean and log-variance, the log-variance clamped to [-30, 20], and
 * <pre>
 *   sample = mean + std * noise,  noise ~ N(0, I) from {@link StepRandom}
 *   kl     = 0.5 * sum over (C, H, W) of (mean^2 + var - 1 - logvar)   (KL to N(0, I), one per sample)
 * </pre>
 */
public final class DiagonalGaussian {

    public static final double LOGVAR_MIN = -30;
    public static final double LOGVAR_MAX = 20;

    private final NDArray mean;
    private final NDArray logvar;

    /** From mean and (unclamped) log-variance of the same shape [B, C, H, W]. */
    public DiagonalGaussian(NDArray mean, NDArray logvar) {
        this.mean = mean;
        this.logvar = logvar.clip(LOGVAR_MIN, LOGVAR_MAX);
    }

    /** From moments [B, 2C, H, W]: the first C channels are the mean, the last C the log-variance. */
    public static DiagonalGaussian fromMoments(NDArray moments) {
        NDList halves = moments.split(2, 1);
        return new DiagonalGaussian(halves.get(0), halves.get(1));
    }

    public NDArray mean() {
        return mean;
    }

    /** The clamped log-variance. */
    public NDArray logvar() {
        return logvar;
    }

    public NDArray variance() {
        return logvar.exp();
    }

    public NDArray std() {
        return logvar.mul(StepArrays.scalar(logvar, 0.5)).exp();
    }

    /** mean + std * noise for a given standard-normal noise of the same shape. */
    public NDArray sample(NDArray noise) {
        return mean.add(std().mul(noise));
    }

    /** mean + std * noise with the noise drawn by {@code rng} for {@code purpose}, on the mean's manager. */
    public NDArray sample(StepRandom rng, String purpose) {
        NDArray noise = rng.normal(mean.getManager(), mean.getShape(), purpose);
        return sample(noise.toType(mean.getDataType(), true));
    }

    /** KL(q || N(0, I)) per sample, summed over every non-batch axis: [B]. */
    public NDArray kl() {
        NDArray terms = mean.mul(mean).add(variance()).sub(StepArrays.scalar(mean, 1)).sub(logvar);
        int[] axes = new int[mean.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 1;
        }
        return terms.sum(axes).mul(StepArrays.scalar(mean, 0.5));
    }
}
