package lab.d2c.model.ar;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * 2D rotary position embedding over the token grid (Su et al.; LlamaGen's
 * {@code precompute_freqs_cis_2d} and {@code apply_rotary_emb}). A head vector of size hd is read
 * as hd/2 interleaved pairs; the first hd/4 pairs rotate by the token's row, the last hd/4 by its
 * column, pair j at frequency base^(-4j/hd). Sequence positions below {@code classTokens} are class
 * tokens and stay unrotated (LlamaGen zeroes them, which also zeroes their queries and keys; the
 * identity keeps them usable). Position classTokens + p is image token p at (p / grid, p % grid).
 * Because every pair is a plane rotation, norms are preserved and q.k depends only on the
 * row and column offsets.
 */
public final class RotaryEmbedding2d {

    private final int headDim;
    private final int classTokens;
    private final int positions;
    private final float[] cos;
    private final float[] sin;

    public RotaryEmbedding2d(int headDim, int grid, int classTokens, double base) {
        if (headDim % 4 != 0) {
            throw new IllegalArgumentException("RotaryEmbedding2d: head dim must be a multiple of 4, got " + headDim);
        }
        this.headDim = headDim;
        this.classTokens = classTokens;
        this.positions = classTokens + grid * grid;
        this.cos = new float[positions * headDim];
        this.sin = new float[positions * headDim];
        int quarter = headDim / 4;
        int half = headDim / 2;
        for (int s = 0; s < positions; s++) {
            for (int pair = 0; pair < half; pair++) {
                double angle = 0;
                if (s >= classTokens) {
                    int p = s - classTokens;
                    int axisPosition = pair < quarter ? p / grid : p % grid;
                    double frequency = Math.pow(base, -(2.0 * (pair % quarter)) / half);
                    angle = axisPosition * frequency;
                }
                int at = s * headDim + 2 * pair;
                cos[at] = cos[at + 1] = (float) Math.cos(angle);
                sin[at] = sin[at + 1] = (float) Math.sin(angle);
            }
        }
    }

    public int positions() {
        return positions;
    }

    public int classTokens() {
        return classTokens;
    }

    /**
     * Rotates x [B, L, H, hd] whose L vectors sit at sequence positions start .. start + L - 1.
     * The result lives on x's manager.
     */
    public NDArray apply(NDArray x, int start) {
        Shape shape = x.getShape();
        int length = Math.toIntExact(shape.get(1));
        if (start < 0 || start + length > positions) {
            throw new IllegalArgumentException("RotaryEmbedding2d: positions " + start + ".." + (start + length - 1)
                    + " outside 0.." + (positions - 1));
        }
        NDManager m = x.getManager();
        Shape table = new Shape(1, length, 1, headDim);
        NDArray c = m.create(slice(cos, start, length), table).toType(x.getDataType(), false);
        NDArray s = m.create(slice(sin, start, length), table).toType(x.getDataType(), false);
        NDArray pairs = x.reshape(shape.get(0), length, shape.get(2), headDim / 2, 2);
        NDArray even = pairs.get(":, :, :, :, 0");
        NDArray odd = pairs.get(":, :, :, :, 1");
        // (x0, x1) -> (-x1, x0): the quarter turn of each pair, so x cos + turned sin rotates it.
        NDArray turned = NDArrays.stack(new NDList(odd.neg(), even), 4).reshape(shape);
        return x.mul(c).add(turned.mul(s));
    }

    private float[] slice(float[] table, int start, int length) {
        float[] out = new float[length * headDim];
        System.arraycopy(table, start * headDim, out, 0, out.length);
        return out;
    }
}
