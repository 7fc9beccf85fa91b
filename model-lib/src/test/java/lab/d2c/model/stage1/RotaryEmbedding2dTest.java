package lab.d2c.model.stage1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** 2D RoPE: a rotation (norms kept), relative (q.k depends only on row and column offsets), class tokens untouched. */
class RotaryEmbedding2dTest {

    private static final int HEAD_DIM = 16;
    private static final int GRID = 6;
    private static final int CLASS_TOKENS = 2;

    private final RotaryEmbedding2d rope = new RotaryEmbedding2d(HEAD_DIM, GRID, CLASS_TOKENS, 10000);

    /** The vector v placed at one sequence position, rotated. */
    private float[] rotated(NDManager m, float[] v, int position) {
        NDArray x = m.create(v, new Shape(1, 1, 1, HEAD_DIM));
        return rope.apply(x, position).toFloatArray();
    }

    private static int position(int row, int col) {
        return CLASS_TOKENS + row * GRID + col;
    }

    @Test
    void preservesNorms() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] f = vector(3);
            for (int p = 0; p < rope.positions(); p++) {
                assertThat(norm(rotated(m, f, p))).isCloseTo(norm(f), within(1e-4));
            }
        }
    }

    @Test
    void dotProductDependsOnlyOnTheRowAndColumnOffsets() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] q = vector(1);
            float[] k = vector(2);
            double base = dot(rotated(m, q, position(1, 2)), rotated(m, k, position(3, 1)));
            // the same offsets (+2 rows, -1 column) elsewhere on the grid
            assertThat(dot(rotated(m, q, position(2, 4)), rotated(m, k, position(4, 3)))).isCloseTo(base, within(1e-4));
            assertThat(dot(rotated(m, q, position(0, 1)), rotated(m, k, position(2, 0)))).isCloseTo(base, within(1e-4));
            // other offsets give another value: the rotation is not trivial
            assertThat(Math.abs(dot(rotated(m, q, position(0, 1)), rotated(m, k, position(2, 2))) - base))
                    .isGreaterThan(1e-3);
            assertThat(Math.abs(dot(rotated(m, q, position(0, 1)), rotated(m, k, position(3, 0))) - base))
                    .isGreaterThan(1e-3);
        }
    }

    @Test
    void rowAndColumnUseSeparateHalvesOfTheHead() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = vector(4);
            float[] moved = rotated(m, v, position(0, 3));
            // a column move leaves the first half (row pairs) alone
            for (int i = 0; i < HEAD_DIM / 2; i++) {
                assertThat(moved[i]).isCloseTo(v[i], within(1e-6f));
            }
            float[] down = rotated(m, v, position(2, 0));
            for (int i = HEAD_DIM / 2; i < HEAD_DIM; i++) {
                assertThat(down[i]).isCloseTo(v[i], within(1e-6f));
            }
        }
    }

    @Test
    void classPositionsAndTheFirstTokenAreUnrotated() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = vector(5);
            for (int p = 0; p <= CLASS_TOKENS; p++) {
                assertThat(rotated(m, v, p)).containsExactly(v, within(1e-6f));
            }
        }
    }

    private static float[] vector(long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        float[] v = new float[HEAD_DIM];
        for (int i = 0; i < HEAD_DIM; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }
}
