package lab.d2c.model.stage2;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Which rows of [buffer, tokens] the MAE encoder sees (the buffer and the unmasked tokens, in
 * position order), as a one-hot selection S [B, K, buffer + N]: S x keeps the visible rows (MAR's
 * boolean drop), S^T y puts encoded rows back at their positions, and {@link #hidden} marks the
 * rest for the mask token. Matrix products keep both directions differentiable on any device.
 */
record VisibleRows(NDArray select, NDArray hidden) {

    /**
     * @param masked per sample, the masked token positions; every sample has the same count
     */
    static VisibleRows of(NDManager manager, boolean[][] masked, int buffer, DataType type, Device device) {
        int b = masked.length;
        int n = masked[0].length;
        int all = buffer + n;
        int maskedCount = count(masked[0]);
        int k = all - maskedCount;
        float[] select = new float[b * k * all];
        float[] hidden = new float[b * all];
        for (int i = 0; i < b; i++) {
            if (count(masked[i]) != maskedCount) {
                throw new IllegalArgumentException("every sample must mask the same number of tokens");
            }
            int row = 0;
            for (int p = 0; p < all; p++) {
                boolean isMasked = p >= buffer && masked[i][p - buffer];
                if (isMasked) {
                    hidden[i * all + p] = 1;
                } else {
                    select[(i * k + row) * all + p] = 1;
                    row++;
                }
            }
        }
        NDArray s = manager.create(select, new Shape(b, k, all)).toType(type, false).toDevice(device, false);
        NDArray h = manager.create(hidden, new Shape(b, all, 1)).toType(type, false).toDevice(device, false);
        return new VisibleRows(s, h);
    }

    private static int count(boolean[] mask) {
        int c = 0;
        for (boolean m : mask) {
            c += m ? 1 : 0;
        }
        return c;
    }
}
