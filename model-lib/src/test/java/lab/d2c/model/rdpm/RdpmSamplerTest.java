package lab.d2c.model.rdpm;

import static lab.d2c.model.rdpm.RdpmFixtures.D;
import static lab.d2c.model.rdpm.RdpmFixtures.GRID;
import static lab.d2c.model.rdpm.RdpmFixtures.K;
import static lab.d2c.model.rdpm.RdpmFixtures.STEPS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.SplittableRandom;
import lab.d2c.config.rdpm.RdpmSamplingSettings;
import lab.d2c.config.stage2.GuidanceSchedule;
import org.junit.jupiter.api.Test;

/** Guidance, Eq. 8's Gumbel argmax, and the sampler's recursion and determinism. */
class RdpmSamplerTest {

    private static final int L = GRID * GRID;

    @Test
    void guidanceWithLambdaZeroIsTheConditionalPredictionExactly() {
        try (NDManager m = NDManager.newBaseManager()) {
            RecurrentTokenPredictor model = RdpmFixtures.randomized(RdpmFixtures.small(),
                    CodeLookup.codebook(RdpmFixtures.codebook(m, 1)), m, 5);
            NDArray eps = m.randomNormal(new Shape(1, D, GRID, GRID));
            NDArray z = m.randomNormal(new Shape(1, D, GRID, GRID));
            float[] cond = model.logits(new ParameterStore(m, false), eps, z, new int[] {2}, m.create(new int[] {1}),
                    false).toFloatArray();
            float[] uncond = model.logits(new ParameterStore(m, false), eps, z, new int[] {2},
                    m.create(new int[] {RdpmFixtures.CLASSES}), false).toFloatArray();
            double largest = 0;
            for (int i = 0; i < cond.length; i++) {
                largest = Math.max(largest, Math.abs(cond[i] - uncond[i]));
            }
            assertThat(largest).as("the null class changes the logits").isGreaterThan(1e-3);
            double[] zero = RdpmSampler.guide(cond, uncond, 0);
            double[] one = RdpmSampler.guide(cond, uncond, 1.5);
            for (int i = 0; i < cond.length; i++) {
                assertThat(zero[i]).isEqualTo((double) cond[i]);
                assertThat(one[i]).isCloseTo(2.5 * cond[i] - 1.5 * uncond[i], within(1e-9));
            }
        }
    }

    @Test
    void gumbelWithALargeTauIsTheArgmax() {
        SplittableRandom logits = new SplittableRandom(1);
        SplittableRandom draws = new SplittableRandom(2);
        for (int row = 0; row < 500; row++) {
            double[] v = new double[K];
            for (int k = 0; k < K; k++) {
                v[k] = logits.nextGaussian();
            }
            int best = GumbelArgmax.argmax(v, 0, K);
            assertThat(GumbelArgmax.choose(v, 0, K, 1e6, draws)).as("row %d", row).isEqualTo(best);
        }
    }

    @Test
    void gumbelDrawsFromTheSoftmaxOfTauTimesTheLogitsSoASmallTauSpreadsTheChoices() {
        double[] v = new double[K];
        for (int k = 0; k < K; k++) {
            v[k] = 0.5 * k;
        }
        int n = 40000;
        for (double tau : new double[] {1e-6, 0.5}) {
            int[] counts = new int[K];
            SplittableRandom draws = new SplittableRandom(3);
            for (int i = 0; i < n; i++) {
                counts[GumbelArgmax.choose(v, 0, K, tau, draws)]++;
            }
            double norm = 0;
            for (int k = 0; k < K; k++) {
                norm += Math.exp(v[k] * tau);
            }
            for (int k = 0; k < K; k++) {
                double p = Math.exp(v[k] * tau) / norm;
                double sd = Math.sqrt(n * p * (1 - p));
                assertThat((double) counts[k]).as("tau %s code %d", tau, k).isCloseTo(n * p, within(5 * sd + 1));
            }
            if (tau < 1e-3) {
                // near-uniform: every code is chosen, none more than 1.2 x n / K
                assertThat(Arrays.stream(counts).min().getAsInt()).isGreaterThan(n / K * 8 / 10);
                assertThat(Arrays.stream(counts).max().getAsInt()).isLessThan(n / K * 12 / 10);
            }
        }
    }

    @Test
    void samplingIsDeterministicForASeedAndTheLatentIsTheSumOfTheChosenCodeVectors() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray codebook = RdpmFixtures.codebook(m, 1);
            float[] table = codebook.toFloatArray();
            CodeLookup lookup = CodeLookup.codebook(codebook);
            RecurrentTokenPredictor model = RdpmFixtures.randomized(RdpmFixtures.small(), lookup, m, 6);
            RdpmSampler sampler = new RdpmSampler(model, lookup);
            RdpmSamplingSettings settings = RdpmSamplingSettings.builder().optGuidanceScale(2.0)
                    .optGuidanceSchedule(GuidanceSchedule.LINEAR).optGumbel(true).optTemperature(1.0).build();
            int[] labels = {0, 1, 2, 1};
            RdpmSampler.Samples a = sampler.sample(m, labels, settings, 42, 4);
            RdpmSampler.Samples again = sampler.sample(m, labels, settings, 42, 4);
            assertThat(again.codes()).containsExactly(a.codes());
            assertThat(again.latent().toFloatArray()).containsExactly(a.latent().toFloatArray());
            // each sample's draws are its own: another batch size gives the same codes
            assertThat(sampler.sample(m, labels, settings, 42, 3).codes()).containsExactly(a.codes());
            // another seed, other codes
            assertThat(sampler.sample(m, labels, settings, 43, 4).codes()).isNotEqualTo(a.codes());
            // Algorithm 2, line 4: z'_T = sum_t v'_t of the returned maps, [n, D, h, w]
            assertThat(a.latent().getShape()).isEqualTo(new Shape(labels.length, D, GRID, GRID));
            float[] z = a.latent().toFloatArray();
            int[] codes = a.codes();
            for (int i = 0; i < labels.length; i++) {
                for (int c = 0; c < D; c++) {
                    for (int p = 0; p < L; p++) {
                        double expected = 0;
                        for (int t = 0; t < STEPS; t++) {
                            expected += table[codes[(i * STEPS + t) * L + p] * D + c];
                        }
                        assertThat((double) z[(i * D + c) * L + p]).isCloseTo(expected, within(1e-5));
                    }
                }
            }
        }
    }

    @Test
    void withoutGumbelNoiseAndGuidanceTheCodesAreTheConditionalArgmax() {
        try (NDManager m = NDManager.newBaseManager()) {
            CodeLookup lookup = CodeLookup.codebook(RdpmFixtures.codebook(m, 1));
            RecurrentTokenPredictor model = RdpmFixtures.randomized(RdpmFixtures.small(), lookup, m, 7);
            RdpmSampler.Samples s = new RdpmSampler(model, lookup).sample(m, new int[] {2},
                    RdpmSamplingSettings.builder().build(), 9, 1);
            float[] logits = firstStepLogits(m, model, 9, 2);
            double[] v = new double[logits.length];
            for (int i = 0; i < v.length; i++) {
                v[i] = logits[i];
            }
            for (int p = 0; p < L; p++) {
                assertThat(s.codes()[p]).as("position %d", p).isEqualTo(GumbelArgmax.argmax(v, p * K, K));
            }
        }
    }

    /**
     * The guided sampler's two halves: the label's logits as cond, the null class's as uncond (section 3.2). Replays
     * step 1 by hand; the wirings a mistake would give (the halves swapped, the null class or the label in both)
     * choose other codes on this model, which the test checks first, so each of them would fail it.
     */
    @Test
    void withGuidanceTheCodesAreTheArgmaxOfTheLabelGuidedAgainstTheNullClass() {
        try (NDManager m = NDManager.newBaseManager()) {
            CodeLookup lookup = CodeLookup.codebook(RdpmFixtures.codebook(m, 1));
            RecurrentTokenPredictor model = RdpmFixtures.randomized(RdpmFixtures.small(), lookup, m, 7);
            double lambda = 1.5;
            RdpmSampler.Samples s = new RdpmSampler(model, lookup).sample(m, new int[] {2},
                    RdpmSamplingSettings.builder().optGuidanceScale(lambda).build(), 9, 1);
            float[] cond = firstStepLogits(m, model, 9, 2);
            float[] uncond = firstStepLogits(m, model, 9, RdpmFixtures.CLASSES);
            int[] expected = argmaxes(RdpmSampler.guide(cond, uncond, lambda));
            assertThat(argmaxes(RdpmSampler.guide(uncond, cond, lambda))).as("halves swapped").isNotEqualTo(expected);
            assertThat(argmaxes(RdpmSampler.guide(uncond, uncond, lambda))).as("null class in both").isNotEqualTo(expected);
            assertThat(argmaxes(RdpmSampler.guide(cond, cond, lambda))).as("label in both").isNotEqualTo(expected);
            assertThat(Arrays.copyOfRange(s.codes(), 0, L)).containsExactly(expected);
        }
    }

    /** Step 1's logits of sample 0 under {@code seed} for {@code label}: eps_1 its first D x L normals, z'_0 = 0. */
    private static float[] firstStepLogits(NDManager m, RecurrentTokenPredictor model, long seed, int label) {
        SplittableRandom r = RdpmSampler.sampleRandom(seed, 0);
        float[] eps = new float[D * L];
        for (int j = 0; j < eps.length; j += 2) {
            double radius = Math.sqrt(-2 * Math.log(1.0 - r.nextDouble()));
            double angle = 2 * Math.PI * r.nextDouble();
            eps[j] = (float) (radius * Math.cos(angle));
            eps[j + 1] = (float) (radius * Math.sin(angle));
        }
        return model.logits(new ParameterStore(m, false), m.create(eps, new Shape(1, D, GRID, GRID)),
                m.zeros(new Shape(1, D, GRID, GRID)), new int[] {1}, m.create(new int[] {label}), false).toFloatArray();
    }

    private static int[] argmaxes(double[] v) {
        int[] codes = new int[L];
        for (int p = 0; p < L; p++) {
            codes[p] = GumbelArgmax.argmax(v, p * K, K);
        }
        return codes;
    }
}
