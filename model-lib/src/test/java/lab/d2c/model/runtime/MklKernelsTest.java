package lab.d2c.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MklKernelsTest {

    private static final String AMD = "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\n";
    private static final String INTEL = "processor\t: 0\nvendor_id\t: GenuineIntel\n";
    private static final String MAPPED = "7f00-7f01 r-xp 00001000 08:01 42 /work/native/target/libd2c-mkl-intel-path.so\n";

    @Test
    void thePathFollowsTheVendorAndThePreload() {
        assertThat(MklKernels.of(AMD, MAPPED)).isEqualTo(MklKernels.Kind.AMD_PRELOADED);
        assertThat(MklKernels.of(AMD, "7f00-7f01 r-xp 0 08:01 7 /usr/lib/libc.so.6\n"))
                .isEqualTo(MklKernels.Kind.AMD_GENERIC);
        assertThat(MklKernels.of(INTEL, "")).isEqualTo(MklKernels.Kind.INTEL);
        assertThat(MklKernels.of(INTEL, MAPPED)).isEqualTo(MklKernels.Kind.INTEL);
        assertThat(MklKernels.of("processor\t: 0\nCPU implementer\t: 0x41\n", MAPPED)).isEqualTo(MklKernels.Kind.OTHER);
    }

    /**
     * ./d2c test preloads native/mkl-intel-path on AMD and says so with D2C_REQUIRE_MKL_INTEL_PATH=1, so on
     * such a machine the suite runs the kernels a sweep runs. Whatever the path, its products must be right:
     * both operand layouts a linear layer uses (x w^T forward, x^T g backward) against a double reference.
     */
    @Test
    void theKernelsInUseMultiplyCorrectly() {
        MklKernels.Kind kind = MklKernels.current();
        if ("1".equals(System.getenv("D2C_REQUIRE_MKL_INTEL_PATH")) && kind != MklKernels.Kind.INTEL
                && kind != MklKernels.Kind.OTHER) {
            assertThat(kind).as("./d2c test preloads native/mkl-intel-path on AMD").isEqualTo(MklKernels.Kind.AMD_PRELOADED);
        }
        int m = 97;
        int k = 301;
        int n = 83;
        Random random = new Random(7);
        float[] a = new float[m * k];
        float[] b = new float[n * k];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) random.nextGaussian();
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(a, new Shape(m, k));
            NDArray w = manager.create(b, new Shape(n, k));
            float[] forward = x.dot(w.transpose()).toFloatArray(); // [m, n]
            float[] backward = x.transpose().dot(manager.create(forward, new Shape(m, n))).toFloatArray(); // [k, n]
            // forward: left x [m, k], right w stored [n, k]; backward: left x^T [k, m], right g stored [m, n]
            assertProduct("x w^T", forward, (i, p) -> a[i * k + p], (p, j) -> b[j * k + p], m, k, n);
            assertProduct("x^T g", backward, (p, i) -> a[i * k + p], (i, j) -> forward[i * n + j], k, m, n);
        }
    }

    /** An element of a matrix, by row and column. */
    private interface Entry {
        double at(int row, int column);
    }

    /** {@code actual} [rows, columns] against the double product of left [rows, inner] and right [inner, columns]. */
    private static void assertProduct(String what, float[] actual, Entry left, Entry right, int rows, int inner,
            int columns) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                double sum = 0;
                double scale = 0;
                for (int p = 0; p < inner; p++) {
                    double term = left.at(i, p) * right.at(p, j);
                    sum += term;
                    scale += Math.abs(term);
                }
                // float accumulation over `inner` terms: error well under inner * 2^-24 of the sum of |terms|
                assertThat(Math.abs(actual[i * columns + j] - sum)).as("%s [%d, %d]", what, i, j)
                        .isLessThanOrEqualTo(2e-5 * scale);
            }
        }
    }
}
