package lab.d2c.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import lab.d2c.model.nn.FiniteDifferences;
import lab.d2c.model.nn.ParamGradients;
import org.junit.jupiter.api.Test;

class VectorQuantizerTest {

    private static final int K = 6;
    private static final int D = 4;
    private static final Shape Z = new Shape(2, D, 3, 3);

    private static VectorQuantizer quantizer(NDManager m) {
        VectorQuantizer vq = new VectorQuantizer(K, D, 0.25);
        vq.initialize(m, DataType.FLOAT64, Z);
        vq.codebookParameter().getArray().set(FiniteDifferences.random(m, new Shape(K, D), 99).toDoubleArray());
        return vq;
    }

    /** Brute force: for each position, the code of largest cosine, and the gap to the runner-up. */
    private static long[] bruteForce(double[] z, double[] codes, double[] minGap) {
        int positions = 9;
        long[] ids = new long[2 * positions];
        minGap[0] = Double.MAX_VALUE;
        for (int b = 0; b < 2; b++) {
            for (int p = 0; p < positions; p++) {
                double[] v = new double[D];
                double norm = 0;
                for (int d = 0; d < D; d++) {
                    v[d] = z[(b * D + d) * positions + p];
                    norm += v[d] * v[d];
                }
                double best = -2;
                double second = -2;
                for (int k = 0; k < K; k++) {
                    double dot = 0;
                    double cn = 0;
                    for (int d = 0; d < D; d++) {
                        dot += v[d] * codes[k * D + d];
                        cn += codes[k * D + d] * codes[k * D + d];
                    }
                    double cos = dot / Math.sqrt(norm * cn);
                    if (cos > best) {
                        second = best;
                        best = cos;
                        ids[b * positions + p] = k;
                    } else if (cos > second) {
                        second = cos;
                    }
                }
                minGap[0] = Math.min(minGap[0], best - second);
            }
        }
        return ids;
    }

    @Test
    void picksTheNearestNormalizedCode() {
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = quantizer(m);
            NDArray z = FiniteDifferences.random(m, Z, 1);
            VectorQuantizer.Output out = vq.quantize(new ParameterStore(m, false), z, false);
            double[] gap = new double[1];
            long[] expected = bruteForce(z.toDoubleArray(), vq.codebookParameter().getArray().toDoubleArray(), gap);
            assertThat(out.ids().getShape()).isEqualTo(new Shape(2, 3, 3));
            assertThat(out.ids().toLongArray()).containsExactly(expected);
            // the quantized output is the normalized code, in NCHW
            NDArray codes = vq.lookup(out.ids()).transpose(0, 3, 1, 2);
            assertThat(FiniteDifferences.relativeError(out.quantized().toDoubleArray(), codes.toDoubleArray()))
                    .isLessThan(1e-12);
        }
    }

    @Test
    void commitmentGradientMatchesCentralDifferencesAndCodebookLossSendsNothingToZ() {
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = quantizer(m);
            NDArray z = FiniteDifferences.random(m, Z, 2);
            ParameterStore store = new ParameterStore(m, false);
            double[] gap = new double[1];
            long[] ids = bruteForce(z.toDoubleArray(), vq.codebookParameter().getArray().toDoubleArray(), gap);
            assertThat(gap[0]).as("assignments away from boundaries").isGreaterThan(1e-4);

            double[] analytic = FiniteDifferences.autograd(m, z, in -> vq.quantize(store, in, true).commitmentLoss());
            double[] numeric = FiniteDifferences.gradient(z.toDoubleArray(), FiniteDifferences.all(Z.size()), v -> {
                VectorQuantizer.Output out = vq.quantize(store, m.create(v, Z), true);
                assertThat(out.ids().toLongArray()).containsExactly(ids);
                return out.commitmentLoss().getDouble();
            });
            assertThat(FiniteDifferences.relativeError(analytic, numeric)).isLessThan(1e-7);
            assertThat(java.util.Arrays.stream(numeric).map(Math::abs).max().getAsDouble()).isGreaterThan(1e-4);

            double[] none = FiniteDifferences.autograd(m, z, in -> vq.quantize(store, in, true).codebookLoss());
            assertThat(none).containsOnly(0.0);
        }
    }

    @Test
    void codebookLossGradientMatchesCentralDifferences() {
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = quantizer(m);
            NDArray z = FiniteDifferences.random(m, Z, 3);
            ParameterStore store = new ParameterStore(m, false);
            Parameter codebook = vq.codebookParameter();
            ParamGradients.check(m, vq, in -> vq.quantize(store, in, true).codebookLoss(), z, codebook, 1e-7);
        }
    }

    @Test
    void straightThroughPassesTheNormalizationGradientToZ() {
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = quantizer(m);
            NDArray z = FiniteDifferences.random(m, Z, 4);
            NDArray w = FiniteDifferences.random(m, Z, 5);
            ParameterStore store = new ParameterStore(m, false);
            double[] analytic = FiniteDifferences.autograd(m, z,
                    in -> vq.quantize(store, in, true).quantized().mul(w).sum());
            // with the straight-through estimator, d q / d z_normalized = I, so the gradient is that of sum(w * normalize(z))
            double[] numeric = FiniteDifferences.gradient(z.toDoubleArray(), FiniteDifferences.all(Z.size()),
                    v -> m.create(v, Z).normalize(2, 1, 1e-12).mul(w).sum().getDouble());
            assertThat(FiniteDifferences.relativeError(analytic, numeric)).isLessThan(1e-7);
        }
    }

    @Test
    void reinitializationChangesOnlyTheDeadCodes() {
        try (NDManager m = NDManager.newBaseManager()) {
            VectorQuantizer vq = new VectorQuantizer(K, D, 0.25);
            vq.initialize(m, DataType.FLOAT32, Z);
            float[] before = vq.codebookParameter().getArray().toFloatArray();
            float[] candidates = new float[5 * D];
            for (int i = 0; i < candidates.length; i++) {
                candidates[i] = 10 + i;
            }
            vq.reinitialize(new int[] {1, 4}, candidates, new SplittableRandom(1));
            float[] after = vq.codebookParameter().getArray().toFloatArray();
            for (int k = 0; k < K; k++) {
                float[] row = java.util.Arrays.copyOfRange(after, k * D, (k + 1) * D);
                if (k == 1 || k == 4) {
                    assertThat(row[0]).isGreaterThanOrEqualTo(10f);
                    int source = (int) (row[0] - 10) / D;
                    assertThat(row).containsExactly(java.util.Arrays.copyOfRange(candidates, source * D, (source + 1) * D));
                } else {
                    assertThat(row).containsExactly(java.util.Arrays.copyOfRange(before, k * D, (k + 1) * D));
                }
            }
        }
    }
}
