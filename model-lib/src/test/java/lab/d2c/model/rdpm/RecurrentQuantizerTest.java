package lab.d2c.model.rdpm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.Random;
import lab.d2c.config.rdpm.RdpmScheduleKind;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * RDPM's recurrent quantizer (arXiv:2412.18390, Eq. 2-4, Algorithm 1) against references written out
 * in Java: plain residual VQ when alpha_t = 1, the decoder's input as the sum of the chosen codes, Eq. 4's
 * gamma weighting computed by hand, the bias conv switch, and the straight-through gradient.
 */
class RecurrentQuantizerTest {

    private static final int B = 2;
    private static final int D = 3;
    private static final int H = 2;
    private static final int W = 3;
    private static final int K = 16;
    private static final int N = B * H * W;
    private static final double BETA = 0.25;

    /** A quantizer over [2, 3, 2, 3] latents with the given codebook. */
    private static RecurrentQuantizer quantizer(NDManager m, RdpmSchedule schedule, boolean weighting, boolean bias,
            float[] table) {
        RecurrentQuantizer q = new RecurrentQuantizer(K, D, schedule, weighting, bias, BETA);
        Engine.getInstance().setRandomSeed(11);
        q.initialize(m, DataType.FLOAT32, new Shape(B, D, H, W), new Shape(B, schedule.steps(), D, H, W));
        q.codebookParameter().getArray().set(table);
        return q;
    }

    private static float[] gaussian(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** Element (n, c) of an NCHW latent as rows: n = (b, y, x) in raster order. */
    private static int at(int n, int c) {
        int b = n / (H * W);
        int yx = n % (H * W);
        return (b * D + c) * H * W + yx;
    }

    /** Element (n, c) of step t's noise in [B, T, D, H, W]. */
    private static int noiseAt(int steps, int t, int n, int c) {
        int b = n / (H * W);
        int yx = n % (H * W);
        return ((b * steps + t) * D + c) * H * W + yx;
    }

    private static int nearest(double[] v, float[] table) {
        int best = -1;
        double bestDistance = Double.MAX_VALUE;
        for (int k = 0; k < K; k++) {
            double d = 0;
            for (int c = 0; c < D; c++) {
                double diff = v[c] - table[k * D + c];
                d += diff * diff;
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    private static RecurrentQuantizer.Output run(NDManager m, RecurrentQuantizer q, float[] z, float[] noise) {
        int steps = q.schedule().steps();
        return q.quantize(new ParameterStore(m, false), m.create(z, new Shape(B, D, H, W)),
                m.create(noise, new Shape(B, steps, D, H, W)), false);
    }

    @Test
    void withAlphaOneEverywhereItIsResidualVq() {
        try (NDManager m = NDManager.newBaseManager()) {
            int steps = 4;
            float[] table = gaussian(K * D, 1);
            float[] z = gaussian(B * D * H * W, 2);
            float[] noise = gaussian(B * steps * D * H * W, 3); // beta_t = 0: the noise must not matter
            RecurrentQuantizer q = quantizer(m, RdpmSchedule.ofAlphas(1, 1, 1, 1), false, false, table);
            RecurrentQuantizer.Output out = run(m, q, z, noise);
            long[] codes = out.codes().toLongArray();
            assertThat(out.codes().getShape()).isEqualTo(new Shape(B, steps, H, W));
            // RQ-VAE: r_1 = z, C_t = nearest(r_t), r_{t+1} = r_t - e(C_t)
            float[] residual = new float[N * D];
            for (int n = 0; n < N; n++) {
                for (int c = 0; c < D; c++) {
                    residual[n * D + c] = z[at(n, c)];
                }
            }
            for (int t = 0; t < steps; t++) {
                    for (int n = 0; n < N; n++) {
                    double[] r = new double[D];
                    for (int c = 0; c < D; c++) {
                        r[c] = residual[n * D + c];
                    }
                    int k = nearest(r, table);
                    int b = n / (H * W);
                    assertThat(codes[(b * steps + t) * H * W + n % (H * W)]).as("step %d row %d", t + 1, n).isEqualTo(k);
                    for (int c = 0; c < D; c++) {
                        residual[n * D + c] -= table[k * D + c];
                    }
                }
            }
            // the decoder sees z minus the final residual
            float[] input = out.decoderInput().toFloatArray();
            for (int n = 0; n < N; n++) {
                for (int c = 0; c < D; c++) {
                    assertThat((double) input[at(n, c)]).isCloseTo(z[at(n, c)] - residual[n * D + c], Offset.offset(1e-5));
                }
            }
            // and the same codes whatever the noise
            float[] other = gaussian(noise.length, 4);
            assertThat(run(m, q, z, other).codes().toLongArray()).containsExactly(codes);
        }
    }

    @Test
    void theDecoderSeesTheSumOfTheQuantizedVectors() {
        try (NDManager m = NDManager.newBaseManager()) {
            int steps = 5;
            float[] table = gaussian(K * D, 5);
            RecurrentQuantizer q = quantizer(m, RdpmSchedule.of(RdpmScheduleKind.POW, steps, 0.75), true, false, table);
            RecurrentQuantizer.Output out = run(m, q, gaussian(B * D * H * W, 6), gaussian(B * steps * D * H * W, 7));
            long[] codes = out.codes().toLongArray();
            float[] input = out.decoderInput().toFloatArray();
            for (int n = 0; n < N; n++) {
                int b = n / (H * W);
                for (int c = 0; c < D; c++) {
                    float sum = 0;
                    for (int t = 0; t < steps; t++) {
                        sum += table[(int) codes[(b * steps + t) * H * W + n % (H * W)] * D + c];
                    }
                    assertThat(input[at(n, c)]).as("row %d channel %d", n, c).isEqualTo(sum);
                }
            }
            // decoding the codes gives the same input bit for bit
            NDArray again = q.decoderInput(new ParameterStore(m, false), out.codes(), false);
            assertThat(again.toFloatArray()).containsExactly(input);
            // and the quantized vectors are the codes' rows, step by step
            NDArray vectors = q.quantizedVectors(new ParameterStore(m, false), out.codes(), false);
            assertThat(vectors.getShape()).isEqualTo(new Shape(B, steps, D, H, W));
            float[] summed = vectors.sum(new int[] {1}).toFloatArray(); // libtorch's reduction order: not bitwise
            for (int i = 0; i < input.length; i++) {
                assertThat(summed[i]).isCloseTo(input[i], Offset.offset(1e-5f));
            }
        }
    }

    @Test
    void theQuantizationLossIsEq4WithGammaWeighting() {
        try (NDManager m = NDManager.newBaseManager()) {
            int steps = 3;
            RdpmSchedule schedule = RdpmSchedule.of(RdpmScheduleKind.LINEAR, steps, 0.5); // alphas 1/3, 2/3, 1
            float[] table = gaussian(K * D, 8);
            float[] z = gaussian(B * D * H * W, 9);
            float[] noise = gaussian(B * steps * D * H * W, 10);
            for (boolean weighting : new boolean[] {true, false}) {
                RecurrentQuantizer q = quantizer(m, schedule, weighting, false, table);
                RecurrentQuantizer.Output out = run(m, q, z, noise);
                long[] codes = out.codes().toLongArray();
                // by hand: v_t = alpha_t r_t + beta_t eps_t, q_t = nearest code, r_{t+1} = r_t - q_t,
                // L = sum_t gamma_t mean((v_t - q_t)^2) (codebook) and beta times it (commitment)
                double[][] residual = new double[N][D];
                for (int n = 0; n < N; n++) {
                    for (int c = 0; c < D; c++) {
                        residual[n][c] = z[at(n, c)];
                    }
                }
                double expected = 0;
                for (int t = 1; t <= steps; t++) {
                    double squares = 0;
                    for (int n = 0; n < N; n++) {
                        double[] v = new double[D];
                        for (int c = 0; c < D; c++) {
                            v[c] = schedule.alpha(t) * residual[n][c] + schedule.beta(t) * noise[noiseAt(steps, t - 1, n, c)];
                        }
                        int k = nearest(v, table);
                        int b = n / (H * W);
                        assertThat(codes[(b * steps + t - 1) * H * W + n % (H * W)]).isEqualTo(k);
                        for (int c = 0; c < D; c++) {
                            double diff = v[c] - table[k * D + c];
                            squares += diff * diff;
                            residual[n][c] -= table[k * D + c];
                        }
                    }
                    double gamma = weighting ? t / 3.0 : 1;
                    expected += gamma * squares / (N * D);
                }
                assertThat((double) out.codebookLoss().getFloat()).as("weighting %s", weighting)
                        .isCloseTo(expected, Offset.offset(1e-5 * expected));
                assertThat((double) out.commitmentLoss().getFloat()).as("weighting %s", weighting)
                        .isCloseTo(BETA * expected, Offset.offset(1e-5 * expected));
                assertThat((double) out.loss().getFloat()).isCloseTo((1 + BETA) * expected, Offset.offset(1e-5 * expected));
            }
        }
    }

    @Test
    void theBiasConvChangesTheDecoderInputAndWithZeroWeightsAddsNothing() {
        try (NDManager m = NDManager.newBaseManager()) {
            int steps = 3;
            RdpmSchedule schedule = RdpmSchedule.of(RdpmScheduleKind.SIN, steps, 0.5);
            float[] table = gaussian(K * D, 12);
            float[] z = gaussian(B * D * H * W, 13);
            float[] noise = gaussian(B * steps * D * H * W, 14);
            RecurrentQuantizer off = quantizer(m, schedule, true, false, table);
            RecurrentQuantizer on = quantizer(m, schedule, true, true, table);
            assertThat(off.hasBiasConv()).isFalse();
            assertThat(off.getParameters().keys()).containsExactly("codebook");
            assertThat(on.getParameters().keys()).contains("codebook").anyMatch(key -> key.contains("bias_conv"));
            RecurrentQuantizer.Output plain = run(m, off, z, noise);
            RecurrentQuantizer.Output biased = run(m, on, z, noise);
            // the switch changes only what is added to the codes' sum, not the codes or the losses
            assertThat(biased.codes().toLongArray()).containsExactly(plain.codes().toLongArray());
            assertThat(biased.loss().getFloat()).isEqualTo(plain.loss().getFloat());
            float[] sum = plain.decoderInput().toFloatArray();
            float[] withBias = biased.decoderInput().toFloatArray();
            double difference = 0;
            for (int i = 0; i < sum.length; i++) {
                difference += Math.abs(withBias[i] - sum[i]);
            }
            assertThat(difference).isGreaterThan(1e-2);
            // a conv with zero weights and bias adds nothing: on then equals off bit for bit
            for (Pair<String, Parameter> p : on.getParameters()) {
                if (p.getKey().contains("bias_conv")) {
                    p.getValue().getArray().set(new float[Math.toIntExact(p.getValue().getArray().size())]);
                }
            }
            assertThat(run(m, on, z, noise).decoderInput().toFloatArray()).containsExactly(sum);
        }
    }

    @Test
    void theDecoderInputPassesGradientsStraightThroughToZ() {
        try (NDManager m = NDManager.newBaseManager()) {
            int steps = 3;
            RdpmSchedule schedule = RdpmSchedule.of(RdpmScheduleKind.POW, steps, 0.75);
            RecurrentQuantizer q = quantizer(m, schedule, true, false, gaussian(K * D, 15));
            NDArray z = m.create(gaussian(B * D * H * W, 16), new Shape(B, D, H, W));
            z.setRequiresGradient(true);
            NDArray noise = m.create(gaussian(B * steps * D * H * W, 17), new Shape(B, steps, D, H, W));
            NDArray codebook = q.codebookParameter().getArray();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                RecurrentQuantizer.Output out = q.quantize(new ParameterStore(m, false), z, noise, true);
                collector.backward(out.decoderInput().sum());
            }
            // d sum(decoder input) / dz = 1 everywhere; no gradient reaches the codebook this way
            for (float g : z.getGradient().toFloatArray()) {
                assertThat(g).isEqualTo(1f);
            }
            for (float g : codebook.getGradient().toFloatArray()) {
                assertThat(g).isEqualTo(0f);
            }
        }
    }
}
