package lab.d2c.model.pretokenize;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.function.IntConsumer;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.tokenizer.DiagonalGaussian;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.model.tokenizer.VqTokenizer;

/**
 * Encodes images once with both tokenizers so the generators train on tokens, never pixels
 * (paper section 5.1; MAR's cached latents). Each image is encoded as is and mirrored
 * left-right. Inference mode: the result depends on the weights and images only.
 */
public final class Pretokenizer {

    private final VqTokenizer vq;
    private final KlVae vae;
    private final int batchSize;

    /**
     * @throws IllegalArgumentException when the two token grids differ (they must align, section 4.2)
     */
    public Pretokenizer(VqTokenizer vq, KlVae vae, int batchSize) {
        if (vq.config().tokenGrid() != vae.config().latentGrid() || vq.config().imageSize() != vae.config().imageSize()) {
            throw new IllegalArgumentException("the VQ grid (" + vq.config().tokenGrid() + " at " + vq.config().imageSize()
                    + " px) and the VAE grid (" + vae.config().latentGrid() + " at " + vae.config().imageSize()
                    + " px) must be the same");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: must be >= 1, got " + batchSize);
        }
        this.vq = vq;
        this.vae = vae;
        this.batchSize = batchSize;
    }

    /** Tokens of every image of {@code images}, computed on {@code manager}'s device. */
    public TokenShard encode(ImageSet images, NDManager manager) {
        return encode(images, manager, done -> { });
    }

    /** As {@link #encode(ImageSet, NDManager)}, telling {@code progress} the images done after each batch. */
    public TokenShard encode(ImageSet images, NDManager manager, IntConsumer progress) {
        int n = images.count();
        int grid = vq.config().tokenGrid();
        int c = vae.config().latentChannels();
        int tokens = grid * grid;
        int[] ids = new int[n * TokenShard.FLIPS * tokens];
        float[] moments = new float[n * TokenShard.FLIPS * 2 * c * tokens];
        ImageBatches batches = new ImageBatches(images);
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray plain = batches.images(scratch, from, to);
                NDArray both = withMirrors(plain);
                int[] batchIds = vq.encodeIds(both).toIntArray();
                DiagonalGaussian q = vae.encode(both);
                float[] batchMoments = q.mean().concat(q.logvar(), 1).toType(DataType.FLOAT32, false).toFloatArray();
                System.arraycopy(batchIds, 0, ids, from * TokenShard.FLIPS * tokens, batchIds.length);
                System.arraycopy(batchMoments, 0, moments, from * TokenShard.FLIPS * 2 * c * tokens, batchMoments.length);
            }
            progress.accept(to);
        }
        return new TokenShard(n, grid, c, ids, moments, images.labels().clone());
    }

    /**
     * [n, C, H, W] to [2n, C, H, W] ordered image 0, image 0 mirrored, image 1, ... so that rows
     * encoded from it reshape to [n, 2, ...]. Public so that RDPM's pretokenizer flips the same way.
     */
    public static NDArray withMirrors(NDArray images) {
        long n = images.getShape().get(0);
        NDArray pairs = images.stack(images.flip(3), 1);
        return pairs.reshape(n * 2, images.getShape().get(1), images.getShape().get(2), images.getShape().get(3));
    }
}
