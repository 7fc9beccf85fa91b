package lab.d2c.model.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.train.StepRandom;

/**
 * The factor that scales KL-VAE latents to unit variance before the generator sees them: LDM's
 * {@code scale_by_std} (scale_factor = 1 / std of posterior samples of a data batch) and MAR's
 * {@code vae_scale_factor} (0.2325 for its KL-16, found the same way).
 *
 * @param factor multiply latents by this; divide generated latents by it before decoding
 */
public record LatentScale(double factor) {

    public LatentScale {
        if (!(factor > 0) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("factor: must be finite and > 0, got " + factor);
        }
    }

    /** 1 / std over every element of {@code latents} (population std, in double precision). */
    public static LatentScale fromLatents(NDArray latents) {
        float[] v = latents.toType(DataType.FLOAT32, false).toFloatArray();
        double[] moments = new double[3];
        accumulate(moments, v);
        return fromMoments(moments);
    }

    /**
     * 1 / std of posterior samples of {@code vae} over {@code images} [N, C, H, W], encoded
     * {@code batchSize} at a time, the noise of batch i drawn by {@code rng} for purpose "latent-scale/i".
     */
    public static LatentScale estimate(KlVae vae, NDArray images, int batchSize, StepRandom rng) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: must be >= 1, got " + batchSize);
        }
        long n = images.getShape().get(0);
        double[] moments = new double[3];
        for (long from = 0, i = 0; from < n; from += batchSize, i++) {
            // one scope per batch: the encoder's activations of every batch held to the end made the
            // tiny preset's train-vae node peak at 4.5 GB (bench memory)
            try (NDManager scratch = images.getManager().newSubManager()) {
                NDArray batch = images.get(new NDIndex("{}:{}", from, Math.min(n, from + batchSize)));
                batch.attach(scratch);
                DiagonalGaussian q = vae.encode(batch);
                NDArray sample = q.sample(rng, "latent-scale/" + i);
                accumulate(moments, sample.toType(DataType.FLOAT32, false).toFloatArray());
                q.mean().attach(scratch);
                q.logvar().attach(scratch);
                sample.attach(scratch);
            }
        }
        return fromMoments(moments);
    }

    private static void accumulate(double[] moments, float[] values) {
        for (float x : values) {
            moments[0] += 1;
            moments[1] += x;
            moments[2] += (double) x * x;
        }
    }

    private static LatentScale fromMoments(double[] moments) {
        double mean = moments[1] / moments[0];
        double variance = moments[2] / moments[0] - mean * mean;
        return new LatentScale(1 / Math.sqrt(variance));
    }

    /** latents * factor (what the generator trains on). */
    public NDArray apply(NDArray latents) {
        return latents.mul(StepArrays.scalar(latents, factor));
    }

    /** latents / factor (back to what the decoder expects). */
    public NDArray invert(NDArray scaled) {
        return scaled.div(StepArrays.scalar(scaled, factor));
    }
}
