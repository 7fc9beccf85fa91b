package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    @Test
    void scalesAllGradientsByOneFactorWhenTheGlobalNormIsTooLarge() {
        try (NDManager manager = NDManager.newBaseManager(); NDManager step = manager.newSubManager()) {
            Block block = Fixtures.block(manager, 4);
            List<TrainableParameters.Named> params = backward(step, block);
            float[][] g = Fixtures.gradients(step, params);
            double sum = 0;
            for (float[] gp : g) {
                for (float x : gp) {
                    sum += (double) x * x;
                }
            }
            double norm = Math.sqrt(sum);
            double max = norm / 4;

            double reported = GradientClipping.globalNorm(step, block, max);

            // summed in double precision in another order than this loop's: the last bits of a double at most
            assertThat(reported).isCloseTo(norm, within(norm * 1e-12));
            float[][] clipped = Fixtures.gradients(step, params);
            double scale = max / (reported + GradientClipping.NORM_GUARD);
            double after = 0;
            for (int p = 0; p < g.length; p++) {
                for (int i = 0; i < g[p].length; i++) {
                    assertThat((double) clipped[p][i]).isCloseTo(g[p][i] * scale, within(1e-6));
                    after += (double) clipped[p][i] * clipped[p][i];
                }
            }
            assertThat(Math.sqrt(after)).isCloseTo(max, within(max * 1e-5));
        }
    }

    @Test
    void leavesSmallGradientsAloneAndMeasuresWithoutClippingWhenOff() {
        try (NDManager manager = NDManager.newBaseManager(); NDManager step = manager.newSubManager()) {
            Block block = Fixtures.block(manager, 5);
            List<TrainableParameters.Named> params = backward(step, block);
            float[][] g = Fixtures.gradients(step, params);
            double norm = GradientClipping.globalNorm(step, block, 0);
            assertThat(Fixtures.gradients(step, params)).isEqualTo(g);
            assertThat(GradientClipping.globalNorm(step, block, norm * 2)).isEqualTo(norm);
            assertThat(Fixtures.gradients(step, params)).isEqualTo(g);
        }
    }

    /**
     * The measuring half leaves the gradients as they are and reports what {@code globalNorm} reports; the factor
     * is the one {@code globalNorm} scales by (the gradients it leaves are the measured ones times the factor, in
     * float32), 1 within the limit and with clipping off.
     */
    @Test
    void theNormAndTheFactorAreWhatGlobalNormAppliesInPlace() {
        try (NDManager manager = NDManager.newBaseManager(); NDManager step = manager.newSubManager()) {
            Block block = Fixtures.block(manager, 6);
            List<TrainableParameters.Named> params = backward(step, block);
            float[][] g = Fixtures.gradients(step, params);
            double norm = GradientClipping.norm(step, params);
            assertThat(Fixtures.gradients(step, params)).isEqualTo(g);
            assertThat(GradientClipping.factor(norm, 0)).isEqualTo(1);
            assertThat(GradientClipping.factor(norm, norm)).isEqualTo(1);
            double factor = GradientClipping.factor(norm, norm / 3);
            assertThat(factor).isEqualTo(norm / 3 / (norm + GradientClipping.NORM_GUARD)).isLessThan(1);

            assertThat(GradientClipping.globalNorm(step, params, norm / 3)).isEqualTo(norm);
            float[][] clipped = Fixtures.gradients(step, params);
            for (int p = 0; p < g.length; p++) {
                for (int i = 0; i < g[p].length; i++) {
                    assertThat(clipped[p][i]).isEqualTo(g[p][i] * (float) factor);
                }
            }
        }
    }

    /**
     * The Java loop of {@link SumOfSquares} (what runs without the native kernels): exact on integers, whose sums of
     * squares double precision holds, over lengths that leave every tail length of a block of eight; the same on a
     * buffer's window as on a copy of it; and a non-contiguous gradient (a transposed view) is read in its own order.
     */
    @Test
    void theSumOfSquaresIsExactOnIntegersAndReadsViewsAndWindows() {
        for (int n = 0; n <= 40; n++) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = (i % 2 == 0 ? 1 : -1) * (i + 1);
            }
            assertThat(SumOfSquares.java(java.nio.FloatBuffer.wrap(values))).as("n = %d", n)
                    .isEqualTo(n * (n + 1.0) * (2 * n + 1) / 6);
        }
        float[] window = {100, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
        assertThat(SumOfSquares.java(java.nio.FloatBuffer.wrap(window, 1, 9))).isEqualTo(285);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray matrix = manager.create(new float[] {1, 2, 3, 4, 5, 6}, new ai.djl.ndarray.types.Shape(2, 3));
            assertThat(SumOfSquares.of(matrix.transpose())).isEqualTo(91);
            assertThat(SumOfSquares.of(matrix.toType(ai.djl.ndarray.types.DataType.FLOAT64, false))).isEqualTo(91);
        }
    }

    /** A squared-error loss on the fixtures' inputs, backward through {@code block}; its trainable parameters. */
    private static List<TrainableParameters.Named> backward(NDManager step, Block block) {
        NDArray target = Fixtures.input(step, 5).get(":, :3");
        Fixtures.backward(step, block, Fixtures.input(step, 0), out -> out.sub(target).square().sum());
        return TrainableParameters.trainable(block);
    }
}
