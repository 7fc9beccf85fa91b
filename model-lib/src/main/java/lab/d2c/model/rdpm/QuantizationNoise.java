package lab.d2c.model.rdpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * The noise eps_1..eps_T [T, d, h, w] that one training item is quantized with (arXiv:2412.18390, section 3.1,
 * Algorithm 1, line 4), as a pure function of (seed, image, flip). Section 3.2 trains the predictor on "the
 * accumulated noise from the diffusion process", i.e. the same eps_t its code maps were drawn with, so
 * {@code pretokenize-rdpm} encodes with it and {@code train-rdpm} regenerates it instead of storing T x d floats per
 * position. Each item draws from its own {@link SplittableRandom}, so the values do not depend on batching, sharding
 * or the order items are asked for; normals are Box-Muller pairs in C order, as {@link RdpmSampler} draws them.
 */
public final class QuantizationNoise {

    /** Items per image: the image as is (flip 0) and mirrored (flip 1), as MAR caches both. */
    public static final int FLIPS = 2;

    private final long seed;
    private final int steps;
    private final int codeDim;
    private final int grid;

    /**
     * @param seed    {@code rdpm.pretokenize.noise_seed}
     * @param steps   the tokenizer's T
     * @param codeDim the tokenizer's code dimension d
     * @param grid    positions per side (h = w)
     */
    public QuantizationNoise(long seed, int steps, int codeDim, int grid) {
        if (steps < 1 || codeDim < 1 || grid < 1) {
            throw new IllegalArgumentException("QuantizationNoise: steps, codeDim and grid must be >= 1, got " + steps
                    + ", " + codeDim + ", " + grid);
        }
        this.seed = seed;
        this.steps = steps;
        this.codeDim = codeDim;
        this.grid = grid;
    }

    /** The noise of the items a tokenizer of this config quantizes. */
    public static QuantizationNoise of(RdpmTokenizer tokenizer, long seed) {
        return new QuantizationNoise(seed, tokenizer.config().steps(), tokenizer.config().codeDim(),
                tokenizer.config().tokenGrid());
    }

    public long seed() {
        return seed;
    }

    /** Normals per item: T x d x h x w. */
    public int perItem() {
        return steps * codeDim * grid * grid;
    }

    /** [batch, T, d, h, w], the tokenizer's {@code noiseShape}. */
    public Shape shape(long batch) {
        return new Shape(batch, steps, codeDim, grid, grid);
    }

    /** The generator of item (image, flip): its own stream, mixed from the seed as RdpmSampler mixes its samples'. */
    public SplittableRandom random(long image, int flip) {
        if (image < 0 || flip < 0 || flip >= FLIPS) {
            throw new IllegalArgumentException("QuantizationNoise: no item (image " + image + ", flip " + flip + ")");
        }
        long item = image * FLIPS + flip;
        return new SplittableRandom(new SplittableRandom(seed ^ 0x4E4F_4953_45L).split().nextLong()
                ^ item * 0x9E3779B97F4A7C15L);
    }

    /** Writes the item's eps_1..eps_T [T, d, h, w] into {@code out} from {@code offset}. */
    public void fill(long image, int flip, float[] out, int offset) {
        normals(random(image, flip), out, offset, perItem());
    }

    /** The item's eps_1..eps_T, [T, d, h, w] in C order. */
    public float[] item(long image, int flip) {
        float[] out = new float[perItem()];
        fill(image, flip, out, 0);
        return out;
    }

    /** The noise [B, T, d, h, w] of items (images[i], flips[i]), float32 on {@code manager}. */
    public NDArray batch(NDManager manager, long[] images, int[] flips) {
        if (images.length != flips.length) {
            throw new IllegalArgumentException("QuantizationNoise: " + images.length + " images but " + flips.length
                    + " flips");
        }
        int per = perItem();
        float[] eps = new float[Math.multiplyExact(images.length, per)];
        for (int i = 0; i < images.length; i++) {
            fill(images[i], flips[i], eps, i * per);
        }
        return manager.create(eps, shape(images.length));
    }

    /** {@code count} standard normals from {@code r} into {@code out} from {@code offset} (Box-Muller, RdpmSampler's). */
    public static void normals(SplittableRandom r, float[] out, int offset, int count) {
        for (int j = 0; j < count; j += 2) {
            double u1 = 1.0 - r.nextDouble();
            double u2 = r.nextDouble();
            double radius = Math.sqrt(-2 * Math.log(u1));
            out[offset + j] = (float) (radius * Math.cos(2 * Math.PI * u2));
            if (j + 1 < count) {
                out[offset + j + 1] = (float) (radius * Math.sin(2 * Math.PI * u2));
            }
        }
    }
}
