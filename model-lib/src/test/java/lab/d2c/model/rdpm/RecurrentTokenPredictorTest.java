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
