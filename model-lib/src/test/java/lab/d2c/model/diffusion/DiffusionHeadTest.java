package lab.d2c.model.diffusion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.util.SplittableRandom;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainingLoop;
import lab.d2c.model.train.TrainingResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The diffusion head: AdaLN-Zero start, and it learns and samples a known 2-D mixture. */
class DiffusionHeadTest {

    /** Learning the variance doubles the output (noise, then variance values); both start at zero. */
    @ParameterizedTest
    @CsvSource({"true, 8", "false, 4"})
    void adaLnZeroInitializationMakesTheUntrainedHeadPredictZero(boolean learnSigma, long width) {
        DiffusionHead head = new DiffusionHead(4, 16, 3, learnSigma);
        try (NDManager m = NDManager.newBaseManager()) {
            head.initialize(m, DataType.FLOAT32, new Shape(5, 4), new Shape(5, TimestepEmbedder.FREQUENCIES),
                    new Shape(5, 6));
            NDArray x = m.randomNormal(new Shape(5, 4));
            NDArray t = TimestepEmbedder.sinusoid(m, new int[] {0, 10, 200, 500, 999});
            NDArray z = m.randomNormal(new Shape(5, 6));
            NDArray out = head.forward(new ParameterStore(m, false), new NDList(x, t, z), false).singletonOrThrow();
            assertThat(out.getShape()).isEqualTo(new Shape(5, width));
            assertThat(head.getOutputShapes(new Shape[] {new Shape(5, 4)})[0]).isEqualTo(new Shape(5, width));
            assertThat(out.abs().max().getFloat()).isZero();
            // the residual blocks start as the identity too, so the inputs still reach the final layer
            assertThat(head.getParameters().keys()).anyMatch(k -> k.contains("res_blocks_0"));
        }
    }

    @Test
    void theSinusoidIsMarsTimestepEmbedding() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = TimestepEmbedder.sinusoid(m, new int[] {0, 7}).toFloatArray();
            int half = TimestepEmbedder.FREQUENCIES / 2;
            assertThat(v[0]).isEqualTo(1f); // cos(0)
            assertThat(v[half]).isEqualTo(0f); // sin(0)
            double f3 = Math.exp(-Math.log(10000) * 3 / half);
            assertThat(v[TimestepEmbedder.FREQUENCIES + 3]).isCloseTo((float) Math.cos(7 * f3), within(1e-5f));
            assertThat(v[TimestepEmbedder.FREQUENCIES + half + 3]).isCloseTo((float) Math.sin(7 * f3), within(1e-5f));
        }
    }

    /** The precomputed table gives every step's row bit for bit, and steps past it are computed. */
    @Test
    void theSinusoidTableMatchesTheFormulaForEveryStep() {
        int[] steps = new int[1100];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i;
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float[] v = TimestepEmbedder.sinusoid(m, steps).toFloatArray();
            int half = TimestepEmbedder.FREQUENCIES / 2;
            for (int step : steps) {
                for (int k = 0; k < half; k++) {
                    double arg = step * (double) (float) Math.exp(-Math.log(10000) * k / half);
                    int at = step * TimestepEmbedder.FREQUENCIES + k;
                    assertThat(v[at]).as("cos, step %d, k %d", step, k).isEqualTo((float) Math.cos(arg));
                    assertThat(v[at + half]).as("sin, step %d, k %d", step, k).isEqualTo((float) Math.sin(arg));
                }
            }
        }
    }

    /**
     * More rows than the table (a training batch's head rows): the rows are gathered on the manager, and are
     * still the formula's bit for bit, in the order of t, repeats included.
     */
    @Test
    void theGatheredSinusoidOfManyRowsMatchesTheFormula() {
        int[] steps = new int[3000];
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        for (int i = 0; i < steps.length; i++) {
            steps[i] = r.nextInt(1000);
        }
        steps[0] = 0;
        steps[1] = 999;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray rows = TimestepEmbedder.sinusoid(m, steps);
            assertThat(rows.getShape()).isEqualTo(new Shape(steps.length, TimestepEmbedder.FREQUENCIES));
            assertThat(rows.getManager()).isSameAs(m);
            float[] v = rows.toFloatArray();
            for (int n = 0; n < steps.length; n++) {
                float[] expected = TimestepEmbedder.row(steps[n]);
                for (int k = 0; k < expected.length; k++) {
                    assertThat(v[n * TimestepEmbedder.FREQUENCIES + k]).as("row %d (step %d), k %d", n, steps[n], k)
                            .isEqualTo(expected[k]);
                }
            }
        }
    }

    /**
     * Trained on 0.5 N((-1, -0.5), 0.25^2 I) + 0.5 N((1, 0.5), 0.25^2 I), the head's DDPM samples
     * have the mixture's moments: mean 0, variances 1.0625 and 0.3125, covariance 0.5, half the
     * points at each mode, and most within three standard deviations of one. The cosine schedule
     * samples with x_0 clipped to [-3, 3] (a short run's head; see {@link RespacedSchedule}). The
     * head learns its variance (MAR's default; the fixed-variance path is pinned to the code that
     * passed this test before, {@link DiffusionLossTest}).
     */
    @ParameterizedTest
    @CsvSource({"linear, 0, 1200", "cosine, 3, 2400"})
    void trainedOnATwoDimensionalMixtureItSamplesIt(String schedule, double x0Clip, long steps) throws IOException {
        MixtureModel model = new MixtureModel(NoiseSchedule.of(schedule, NoiseSchedule.TRAINING_STEPS), 50, true);
        TrainConfig config = TrainConfig.builder().setSteps(steps).setBatchSize(256).setLr(1e-3).setSeed(1)
                .optWarmupSteps(50).optClipNorm(1.0).build();
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(MixtureModel.data(1 << 14))
                .setConfig(config).build()) {
            TrainingResult result = loop.run();
            float[] losses = result.losses();
            assertThat(mean(losses, losses.length - 100, losses.length)).as("loss falls")
                    .isLessThan(mean(losses, 0, 20) * 0.75);

            int n = 3000;
            SplittableRandom[] rows = new SplittableRandom[n];
            SplittableRandom root = new SplittableRandom(42);
            for (int i = 0; i < n; i++) {
                rows[i] = root.split();
            }
            try (NDManager m = loop.manager().newSubManager()) {
                NDArray z = m.ones(new Shape(n, 1));
                float[] xy = model.loss().sample(new ParameterStore(m, false), z, 1.0, 1.0, x0Clip, rows).toFloatArray();
                double[] mu = new double[2];
                for (int i = 0; i < n; i++) {
                    mu[0] += xy[2 * i] / n;
                    mu[1] += xy[2 * i + 1] / n;
                }
                double vx = 0;
                double vy = 0;
                double cxy = 0;
                int upper = 0;
                int near = 0;
                for (int i = 0; i < n; i++) {
                    double dx = xy[2 * i] - mu[0];
                    double dy = xy[2 * i + 1] - mu[1];
                    vx += dx * dx / n;
                    vy += dy * dy / n;
                    cxy += dx * dy / n;
                    boolean up = xy[2 * i] > 0;
                    upper += up ? 1 : 0;
                    double cx = up ? 1 : -1;
                    double cy = up ? 0.5 : -0.5;
                    near += Math.hypot(xy[2 * i] - cx, xy[2 * i + 1] - cy) < 0.75 ? 1 : 0;
                }
                System.out.printf("%s: mean (%.3f, %.3f) var (%.3f, %.3f) cov %.3f upper %d near %d of %d%n", schedule,
                        mu[0], mu[1], vx, vy, cxy, upper, near, n);
                assertThat(mu[0]).isCloseTo(0, within(0.1));
                assertThat(mu[1]).isCloseTo(0, within(0.1));
                assertThat(vx).isCloseTo(1.0625, within(0.15));
                assertThat(vy).isCloseTo(0.3125, within(0.1));
                assertThat(cxy).isCloseTo(0.5, within(0.1));
                assertThat((double) upper / n).isCloseTo(0.5, within(0.06));
                assertThat((double) near / n).as("share within 3 sigma of a mode").isGreaterThan(0.9);
            }
        }
    }

    private static double mean(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }
}
