package lab.d2c.model.rdpm;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import lab.d2c.model.train.BatchSource;

/**
 * The recurrent token predictor's training data (arXiv:2412.18390, section 3.2): the pretokenized code maps of every
 * image in both flips, item 2i the image i as is, item 2i + 1 its mirror. A batch is (codes int32 [B, T, h, w],
 * labels int32 [B], noise float32 [B, T, d, h, w]): the noise is each item's {@link QuantizationNoise}, regenerated,
 * so the predictor sees the eps_t its codes were quantized with (section 3.2), as {@link RecurrentTokenPredictor}'s
 * loss reads a batch's third array.
 */
public final class RdpmCodeMaps implements BatchSource {

    private final int[] codes;
    private final int[] labels;
    private final int steps;
    private final int grid;
    private final QuantizationNoise noise;

    /**
     * @param codes  int32 [n, FLIPS, T, grid, grid] in C order, as {@link RdpmPretokenizer#encode} gives them
     * @param labels [n] class ids of the images
     * @param noise  what the codes were quantized with
     */
    public RdpmCodeMaps(int[] codes, int[] labels, int steps, int grid, QuantizationNoise noise) {
        if (!noise.shape(1).equals(new Shape(1, steps, noise.shape(1).get(2), grid, grid))) {
            throw new IllegalArgumentException("RdpmCodeMaps: noise " + noise.shape(1) + " does not fit T = " + steps
                    + " on a " + grid + "x" + grid + " grid");
        }
        if (codes.length != (long) labels.length * QuantizationNoise.FLIPS * steps * grid * grid) {
            throw new IllegalArgumentException("RdpmCodeMaps: " + codes.length + " codes do not make " + labels.length
                    + " images x " + QuantizationNoise.FLIPS + " flips x " + steps + " maps of " + grid + "x" + grid);
        }
        this.codes = codes;
        this.labels = labels;
        this.steps = steps;
        this.grid = grid;
        this.noise = noise;
    }

    @Override
    public int size() {
        return labels.length * QuantizationNoise.FLIPS;
    }

    /** Values of one item's T code maps. */
    public int itemLength() {
        return steps * grid * grid;
    }

    public int label(int item) {
        return labels[item / QuantizationNoise.FLIPS];
    }

    @Override
    public NDList batch(NDManager manager, int[] indices) {
        int length = itemLength();
        int[] batchCodes = new int[indices.length * length];
        int[] batchLabels = new int[indices.length];
        long[] images = new long[indices.length];
        int[] flips = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int item = indices[i];
            // [n, FLIPS, T, h, w] in C order is item after item of T x h x w codes
            System.arraycopy(codes, item * length, batchCodes, i * length, length);
            batchLabels[i] = label(item);
            images[i] = item / QuantizationNoise.FLIPS;
            flips[i] = item % QuantizationNoise.FLIPS;
        }
        return new NDList(manager.create(batchCodes, new Shape(indices.length, steps, grid, grid)),
                manager.create(batchLabels), noise.batch(manager, images, flips));
    }
}
