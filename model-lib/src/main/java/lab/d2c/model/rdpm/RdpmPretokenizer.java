package lab.d2c.model.rdpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.IntConsumer;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.pretokenize.Pretokenizer;

/**
 * Quantizes training images once into their T code maps (arXiv:2412.18390, Algorithm 1), so the predictor trains on
 * codes, never pixels (as D2C's {@link Pretokenizer}, MAR's cached tokens). Each image is encoded as is and mirrored
 * left-right, the two items quantized with their own {@link QuantizationNoise}. Inference mode: the codes depend on
 * the weights, the images, their indices and the noise seed only, not on the batch size.
 */
public final class RdpmPretokenizer {

    private final RdpmTokenizer tokenizer;
    private final QuantizationNoise noise;
    private final int batchSize;

    public RdpmPretokenizer(RdpmTokenizer tokenizer, QuantizationNoise noise, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: must be >= 1, got " + batchSize);
        }
        if (!noise.shape(1).equals(tokenizer.noiseShape(1))) {
            throw new IllegalArgumentException("RdpmPretokenizer: the noise is " + noise.shape(1)
                    + " per item, the tokenizer needs " + tokenizer.noiseShape(1));
        }
        this.tokenizer = tokenizer;
        this.noise = noise;
        this.batchSize = batchSize;
    }

    /** Code map values per image: FLIPS x T x h x w. */
    public int codesPerImage() {
        return QuantizationNoise.FLIPS * noise.perItem() / tokenizer.config().codeDim();
    }

    /**
     * The code maps int32 [n, FLIPS, T, h, w] (C order) of {@code images}, whose image j is training image
     * {@code firstImage + j} (its noise is that item's), computed on {@code manager}'s device; {@code progress} hears
     * the images done after each batch.
     */
    public int[] encode(ImageSet images, long firstImage, NDManager manager, IntConsumer progress) {
        int n = images.count();
        int per = codesPerImage();
        int[] codes = new int[Math.multiplyExact(n, per)];
        ImageBatches batches = new ImageBatches(images);
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray both = Pretokenizer.withMirrors(batches.images(scratch, from, to));
                int items = (to - from) * QuantizationNoise.FLIPS;
                long[] index = new long[items];
                int[] flips = new int[items];
                for (int k = 0; k < items; k++) {
                    index[k] = firstImage + from + k / QuantizationNoise.FLIPS;
                    flips[k] = k % QuantizationNoise.FLIPS;
                }
                NDArray eps = noise.batch(scratch, index, flips).toType(both.getDataType(), false);
                int[] batchCodes = tokenizer.encode(both, eps).toIntArray();
                System.arraycopy(batchCodes, 0, codes, from * per, batchCodes.length);
            }
            progress.accept(to);
        }
        return codes;
    }
}
