package lab.d2c.model.rdpm;

import static lab.d2c.model.rdpm.RdpmFixtures.CLASSES;
import static lab.d2c.model.rdpm.RdpmFixtures.D;
import static lab.d2c.model.rdpm.RdpmFixtures.GRID;
import static lab.d2c.model.rdpm.RdpmFixtures.K;
import static lab.d2c.model.rdpm.RdpmFixtures.STEPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import lab.d2c.config.rdpm.RdpmPredictorConfig;
import lab.d2c.model.train.StepRandom;
import org.junit.jupiter.api.Test;

/** The predictor's inputs (z'_{t-1}, eps_t), its first loss, the drawn steps and the class dropout. */
class RecurrentTokenPredictorTest {

    private static final int L = GRID * GRID;

    @Test
    void theAccumulatedLatentIsTheSumOfTheEarlierCodeVectors() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray codebook = RdpmFixtures.codebook(m, 1);
            float[] table = codebook.toFloatArray();
            RecurrentTokenPredictor model = new RecurrentTokenPredictor(RdpmFixtures.small(),
                    CodeLookup.codebook(codebook));
            int b = 3;
            int[] codes = RdpmFixtures.randomCodes(b * STEPS * L, 2);
            int[] t = {1, 3, STEPS};
            float[] z = model.accumulated(m.create(codes, new Shape(b, STEPS, GRID, GRID)), t).toFloatArray();
            // Algorithm 1, line 6: z'_{t-1} = sum_{s < t} v'_s, channels-first [B, D, h, w]; z'_0 = 0
            for (int i = 0; i < b; i++) {
                for (int c = 0; c < D; c++) {
                    for (int p = 0; p < L; p++) {
                        double expected = 0;
                        for (int s = 1; s < t[i]; s++) {
                            expected += table[codes[(i * STEPS + s - 1) * L + p] * D + c];
                        }
                        assertThat((double) z[(i * D + c) * L + p]).as("sample %d channel %d position %d", i, c, p)
                                .isCloseTo(expected, within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void theNoiseOfStepTIsTheTokenizersNoiseAtT() {
        try (NDManager m = NDManager.newBaseManager()) {
            int b = 2;
            float[] noise = new float[b * STEPS * D * L];
            for (int i = 0; i < noise.length; i++) {
                noise[i] = i;
            }
            int[] t = {2, 4};
            float[] picked = RecurrentTokenPredictor.atStep(m.create(noise, new Shape(b, STEPS, D, GRID, GRID)), t)
                    .toFloatArray();
            for (int i = 0; i < b; i++) {
                float[] expected = Arrays.copyOfRange(noise, (i * STEPS + t[i] - 1) * D * L,
                        (i * STEPS + t[i]) * D * L);
                assertThat(Arrays.copyOfRange(picked, i * D * L, (i + 1) * D * L)).containsExactly(expected);
            }
        }
    }

    /**
     * {@code kl_cond_uncond} against a double-precision KL computed from the two predictions the metric describes
     * (the loss's t and eps draws, true labels against the null class); 0 exactly at the zero-initialized output
     * and when every label already is the null class.
     */
    @Test
    void theConditioningKlIsTheKlOfTheConditionalAndUnconditionalPredictions() {
        try (NDManager m = NDManager.newBaseManager()) {
            CodeLookup lookup = CodeLookup.codebook(RdpmFixtures.codebook(m, 1));
            int b = 3;
            int[] labels = {0, 2, 1};
            NDList batch = new NDList(m.create(RdpmFixtures.randomCodes(b * STEPS * L, 3),
                    new Shape(b, STEPS, GRID, GRID)), m.create(labels));
            RecurrentTokenPredictor fresh = new RecurrentTokenPredictor(RdpmFixtures.small(), lookup);
            fresh.initialize(m, DataType.FLOAT32, fresh.initShapes());
            assertThat(conditioningKl(fresh, m, batch)).isZero();

            RecurrentTokenPredictor model = RdpmFixtures.randomized(RdpmFixtures.small(), lookup, m, 5);
            // sharper outputs, so the two predictions differ by far more than the forward and reverse KL agree to
            // (they are equal to second order in the difference)
            java.util.SplittableRandom r = new java.util.SplittableRandom(9);
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : model.getParameters()) {
                if (p.getKey().endsWith("output_weight")) {
                    float[] v = new float[Math.toIntExact(p.getValue().getArray().size())];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (float) (r.nextGaussian() * 3);
                    }
                    lab.d2c.model.runtime.Views.overwrite(m, p.getValue().getArray(), v);
                }
            }
            double kl = conditioningKl(model, m, batch);
            StepRandom rng = new StepRandom(HELD_OUT_SEED, 0);
            int[] t = model.drawSteps(b, rng);
            NDArray accumulated = model.accumulated(batch.get(0), t);
            NDArray noise = rng.normal(m, accumulated.getShape(), RecurrentTokenPredictor.NOISE_PURPOSE);
            int[] none = new int[b];
            Arrays.fill(none, CLASSES);
            float[] cond = model.logits(new ParameterStore(m, false), noise, accumulated, t, m.create(labels), false)
                    .toFloatArray();
            float[] uncond = model.logits(new ParameterStore(m, false), noise, accumulated, t, m.create(none), false)
                    .toFloatArray();
            double expected = 0;
            double reverse = 0;
            for (int row = 0; row < b * L; row++) {
                double[] p = logSoftmax(cond, row * K);
                double[] q = logSoftmax(uncond, row * K);
                for (int k = 0; k < K; k++) {
                    expected += Math.exp(p[k]) * (p[k] - q[k]);
                    reverse += Math.exp(q[k]) * (q[k] - p[k]);
                }
            }
            expected /= b * L;
            reverse /= b * L;
            assertThat(Math.abs(expected - reverse)).as("KL %s, reverse %s", expected, reverse)
                    .isGreaterThan(0.01 * expected);
            assertThat(kl).isCloseTo(expected, within(1e-4 * expected));

            NDList unlabelled = new NDList(batch.get(0), m.create(none));
            assertThat(conditioningKl(model, m, unlabelled)).isZero();
        }
    }

    private static final long HELD_OUT_SEED = lab.d2c.model.train.HeldOutLoss.SEED;

    private static double conditioningKl(RecurrentTokenPredictor model, NDManager m, NDList batch) {
        return model.heldOutMetrics(m, batch, new StepRandom(HELD_OUT_SEED, 0))
                .get(RecurrentTokenPredictor.CONDITIONING_KL).getFloat();
    }

    private static double[] logSoftmax(float[] logits, int from) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < K; k++) {
            max = Math.max(max, logits[from + k]);
        }
        double sum = 0;
        for (int k = 0; k < K; k++) {
            sum += Math.exp(logits[from + k] - max);
        }
        double[] out = new double[K];
        for (int k = 0; k < K; k++) {
            out[k] = logits[from + k] - max - Math.log(sum);
        }
        return out;
    }

    @Test
    void theZeroInitializedOutputMakesTheFirstLossLnK() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecurrentTokenPredictor model = new RecurrentTokenPredictor(RdpmFixtures.small(),
                    CodeLookup.codebook(RdpmFixtures.codebook(m, 1)));
            model.initialize(m, DataType.FLOAT32, model.initShapes());
            NDList batch = new NDList(m.create(RdpmFixtures.randomCodes(2 * STEPS * L, 3),
                    new Shape(2, STEPS, GRID, GRID)), m.create(new int[] {0, 2}));
            float loss = model.loss(m, batch, new StepRandom(1, 0)).loss().getFloat();
            assertThat((double) loss).isCloseTo(Math.log(K), within(1e-5));
            NDArray logits = model.forward(new ParameterStore(m, false), new NDList(m.randomNormal(
                    new Shape(2, D, GRID, GRID)), m.zeros(new Shape(2, D, GRID, GRID)), m.create(new int[] {1, 4}),
                    m.create(new int[] {0, CLASSES})), false).singletonOrThrow();
            assertThat(logits.getShape()).isEqualTo(new Shape(2, L, K));
        }
    }

    @Test
    void eachSampleDrawsItsStepUniformlyFromOneToT() {
        RecurrentTokenPredictor model = new RecurrentTokenPredictor(RdpmFixtures.small(), codes -> codes);
        int n = 40000;
        int[] t = model.drawSteps(n, new StepRandom(5, 9));
        int[] counts = new int[STEPS + 1];
        for (int step : t) {
            counts[step]++;
        }
        assertThat(counts[0]).isZero();
        for (int s = 1; s <= STEPS; s++) {
            // n / T = 10000, binomial sd = sqrt(n p (1 - p)) = 87: within 4 sd
            assertThat(counts[s]).as("step %d", s).isBetween(10000 - 350, 10000 + 350);
        }
        assertThat(model.drawSteps(n, new StepRandom(5, 9))).containsExactly(t);
    }

    @Test
    void classDropoutReplacesTheClassWithTheNullClassAtTheStatedRate() {
        RdpmPredictorConfig config = RdpmFixtures.small().toBuilder().optClassDropout(0.1).build();
        RecurrentTokenPredictor model = new RecurrentTokenPredictor(config, codes -> codes);
        int n = 20000;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
        }
        StepRandom rng = new StepRandom(11, 3);
        int[] dropped = model.dropLabels(labels, rng);
        int nulls = 0;
        for (int i = 0; i < n; i++) {
            if (dropped[i] == config.nullClass()) {
                nulls++;
            } else {
                assertThat(dropped[i]).isEqualTo(labels[i]);
            }
        }
        // 10% of 20000 = 2000, binomial sd = sqrt(20000 x 0.1 x 0.9) = 42: within 4 sd
        assertThat(nulls).isBetween(2000 - 170, 2000 + 170);
        // seeded: the same step drops the same labels, another step others
        assertThat(model.dropLabels(labels, new StepRandom(11, 3))).containsExactly(dropped);
        assertThat(model.dropLabels(labels, new StepRandom(11, 4))).isNotEqualTo(dropped);
        RecurrentTokenPredictor none = new RecurrentTokenPredictor(RdpmFixtures.small(), codes -> codes);
        assertThat(none.dropLabels(labels, rng)).containsExactly(labels);
    }
}
