package lab.d2c.model.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import lab.d2c.model.data.ImageBatches;

/**
 * Reconstruction quality of a trained tokenizer on held-out images, in inference mode. MSE is the
 * mean over every pixel of the whole set, of reconstructions clipped to [-1, 1] (what an image
 * shows); PSNR = 10 log10(4 / MSE) for that range. VQ adds codebook usage and perplexity over
 * every token of the set; the VAE decodes its posterior means and adds the mean KL per image.
 */
public final class TokenizerEvaluation {

    /** VQ figures. {@code usage}: fraction of codes used at least once over the set. */
    public record VqReport(int images, double mse, double psnr, double usage, double perplexity) {
    }

    /** KL-VAE figures. {@code kl}: mean KL(q || N(0, I)) per image, in nats. */
    public record VaeReport(int images, double mse, double psnr, double kl) {
    }

    private TokenizerEvaluation() {
    }

    public static VqReport vq(VqTokenizer model, ImageBatches data, int batchSize, NDManager manager) {
        int n = requireImages(data, batchSize);
        double squaredError = 0;
        long[] counts = new long[model.config().codebookSize()];
        for (int from = 0; from < n; from += batchSize) {
            try (NDManager scratch = manager.newSubManager()) {
                NDArray images = data.images(scratch, from, Math.min(n, from + batchSize));
                NDArray ids = model.encodeIds(images);
                for (int id : ids.toIntArray()) {
                    counts[id]++;
                }
                squaredError += sumSquaredError(model.decodeIds(ids), images);
            }
        }
        double mse = squaredError / ((double) n * data.set().imageBytes());
        long used = java.util.Arrays.stream(counts).filter(c -> c > 0).count();
        return new VqReport(n, mse, ReconstructionMetrics.psnr(mse), (double) used / counts.length,
                CodeUsage.perplexity(counts));
    }

    public static VaeReport vae(KlVae model, ImageBatches data, int batchSize, NDManager manager) {
        int n = requireImages(data, batchSize);
        double squaredError = 0;
        double kl = 0;
        for (int from = 0; from < n; from += batchSize) {
            try (NDManager scratch = manager.newSubManager()) {
                NDArray images = data.images(scratch, from, Math.min(n, from + batchSize));
                DiagonalGaussian q = model.encode(images);
                for (float v : q.kl().toType(DataType.FLOAT32, false).toFloatArray()) {
                    kl += v;
                }
                squaredError += sumSquaredError(model.decode(q.mean()), images);
            }
        }
        double mse = squaredError / ((double) n * data.set().imageBytes());
        return new VaeReport(n, mse, ReconstructionMetrics.psnr(mse), kl / n);
    }

    private static int requireImages(ImageBatches data, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: must be >= 1, got " + batchSize);
        }
        if (data.size() == 0) {
            throw new IllegalArgumentException("no images to evaluate on");
        }
        return data.size();
    }

    private static double sumSquaredError(NDArray reconstruction, NDArray images) {
        float[] diff = reconstruction.clip(-1f, 1f).sub(images).toType(DataType.FLOAT32, false).toFloatArray();
        double sum = 0;
        for (float d : diff) {
            sum += (double) d * d;
        }
        return sum;
    }
}
