package lab.d2c.model.stage1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import lab.d2c.config.stage1.SamplingSettings;
import org.junit.jupiter.api.Test;

/** Sampling: the KV cache changes nothing but speed; guidance 1 is conditional sampling; a seed fixes the tokens. */
class ArSamplerTest {

    private static final int[] LABELS = {0, 1, 2, 3, 1, 2};

    private static boolean same(int[][] a, int[][] b) {
        return java.util.Arrays.deepEquals(a, b);
    }

    @Test
    void cachedAndUncachedSamplingGiveIdenticalTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            ArSampler sampler = new ArSampler(ArFixtures.randomized(ArFixtures.small(), m, 21));
            for (SamplingSettings s : new SamplingSettings[] {SamplingSettings.plain(),
                    new SamplingSettings(0.9, 8, 0.95, 2.5, 0), new SamplingSettings(1.2, 0, 1.0, 3.0, 5)}) {
                int[][] cached = sampler.sample(m, LABELS, s, 42, 4, true, null);
                int[][] uncached = sampler.sample(m, LABELS, s, 42, 4, false, null);
                assertThat(cached).as("settings %s", s).isDeepEqualTo(uncached);
                assertThat(cached[0]).hasSize(16);
            }
        }
    }

    @Test
    void guidanceScaleOneEqualsPlainConditionalSampling() {
        try (NDManager m = NDManager.newBaseManager()) {
            ArSampler sampler = new ArSampler(ArFixtures.randomized(ArFixtures.small(), m, 22));
            SamplingSettings one = SamplingSettings.plain().withGuidance(1.0);
            int[][] plain = sampler.sample(m, LABELS, one, 7, 6, true, false, null);
            // the guided path: the null class as a second half of the batch, uncond + 1 x (cond - uncond)
            int[][] twoBranches = sampler.sample(m, LABELS, one, 7, 6, true, true, null);
            assertThat(twoBranches).isDeepEqualTo(plain);
            // a real scale changes the draws, so the comparison above is not vacuous
            int[][] guided = sampler.sample(m, LABELS, one.withGuidance(4.0), 7, 6, true, null);
            assertThat(same(guided, plain)).isFalse();
        }
    }

    @Test
    void aSeedFixesTheTokensWhateverTheBatchSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            ArSampler sampler = new ArSampler(ArFixtures.randomized(ArFixtures.small(), m, 23));
            SamplingSettings s = new SamplingSettings(1.0, 0, 1.0, 2.0, 0);
            int[][] a = sampler.sample(m, LABELS, s, 5, 6, true, null);
            assertThat(sampler.sample(m, LABELS, s, 5, 6, true, null)).isDeepEqualTo(a);
            assertThat(sampler.sample(m, LABELS, s, 5, 2, true, null)).isDeepEqualTo(a);
            assertThat(same(sampler.sample(m, LABELS, s, 6, 6, true, null), a)).isFalse();
        }
    }

    @Test
    void progressCountsEveryToken() {
        try (NDManager m = NDManager.newBaseManager()) {
            ArSampler sampler = new ArSampler(ArFixtures.randomized(ArFixtures.small(), m, 24));
            long[] last = new long[2];
            sampler.sample(m, LABELS, SamplingSettings.plain(), 1, 4, true, (done, total) -> {
                last[0] = done;
                last[1] = total;
            });
            assertThat(last).containsExactly(6L * 16, 6L * 16);
        }
    }

    @Test
    void refusesALabelOutsideTheClasses() {
        try (NDManager m = NDManager.newBaseManager()) {
            ArSampler sampler = new ArSampler(ArFixtures.randomized(ArFixtures.small(), m, 25));
            assertThatThrownBy(() -> sampler.sample(m, new int[] {4}, SamplingSettings.plain(), 1, 1, true, null))
                    .hasMessageContaining("label 4");
        }
    }
}
