package lab.d2c.model.stage1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
     * The rotation of positions start .. start + length - 1, on {@code manager}: cos and sin [1, L, 1, hd]
     * and the quarter-turn matrix [hd, hd] taking each pair (x0, x1) to (-x1, x0). Made once per
     * forward pass and shared by every block (fewer small arrays per sampled token).
     */
    public Tables tables(NDManager manager, int start, int length, DataType type) {
        if (start < 0 || start + length > positions) {
            throw new IllegalArgumentException("RotaryEmbedding2d: positions " + start + ".." + (start + length - 1)
                    + " outside 0.." + (positions - 1));
        }
        Shape table = new Shape(1, length, 1, headDim);
        float[] turn = new float[headDim * headDim];
        for (int pair = 0; pair < headDim / 2; pair++) {
            int even = 2 * pair;
            turn[(even + 1) * headDim + even] = -1; // out[even] = -x[even + 1]
            turn[even * headDim + even + 1] = 1;    // out[even + 1] = x[even]
        }
        return new Tables(manager.create(slice(cos, start, length), table).toType(type, false),
                manager.create(slice(sin, start, length), table).toType(type, false),
                manager.create(turn, new Shape(headDim, headDim)).toType(type, false));
    }

    /** cos and sin [1, L, 1, hd] and the quarter turn [hd, hd] of a run of positions. */
    public record Tables(NDArray cos, NDArray sin, NDArray turn) {
    }

    /** Rotates x [B, L, H, hd] by precomputed tables: x cos + turn(x) sin. */
    public static NDArray apply(NDArray x, Tables t) {
        return x.mul(t.cos()).add(x.matMul(t.turn()).mul(t.sin()));
    }

    /** Rotates x [B, L, H, hd] whose L vectors sit at sequence positions start .. start + L - 1 (on x's manager). */
    public NDArray apply(NDArray x, int start) {
        return apply(x, tables(x.getManager(), start, Math.toIntExact(x.getShape().get(1)), x.getDataType()));
    }

    private float[] slice(float[] table, int start, int length) {
        float[] out = new float[length * headDim];
        System.arraycopy(table, start * headDim, out, 0, out.length);
        return out;
    }
}
