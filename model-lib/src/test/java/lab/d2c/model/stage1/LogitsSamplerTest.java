package lab.d2c.model.stage1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import lab.d2c.config.stage1.SamplingSettings;
import org.junit.jupiter.api.Test;

/** Temperature, top-k, top-p and guidance on one row of logits, against hand-computed distributions. */
class LogitsSamplerTest {

    private static final float[] LOGITS = {2.0f, 1.0f, 0.5f, -1.0f, 0.0f};

    private static double[] softmax(float[] z, double t) {
        double[] p = new double[z.length];
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] / t);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Test
    void temperatureScalesTheLogits() {
        for (double t : new double[] {0.5, 1.0, 2.0}) {
            double[] p = LogitsSampler.probabilities(LOGITS, SamplingSettings.plain().withTemperature(t));
            assertThat(p).containsExactly(softmax(LOGITS, t), within(1e-12));
        }
    }

    @Test
    void topKKeepsTheKMostLikely() {
        double[] p = LogitsSampler.probabilities(LOGITS, SamplingSettings.plain().withFiltering(2, 1.0));
        double z = Math.exp(2.0) + Math.exp(1.0);
        assertThat(p).containsExactly(new double[] {Math.exp(2.0) / z, Math.exp(1.0) / z, 0, 0, 0}, within(1e-12));
        for (int i = 0; i < 100; i++) {
            assertThat(LogitsSampler.sample(LOGITS, SamplingSettings.plain().withFiltering(1, 1.0), i / 100.0))
                    .isZero();
        }
    }

    @Test
    void topPKeepsTheNucleusAndAlwaysTheMostLikely() {
        double[] full = softmax(LOGITS, 1.0);
        // sorted: token 0 (0.52), 1 (0.19), 2 (0.12), 4 (0.07), 3 (0.03); cumulative 0.52, 0.71, 0.83, ...
        double[] p = LogitsSampler.probabilities(LOGITS, SamplingSettings.plain().withFiltering(0, 0.6));
        double kept = full[0] + full[1];
        assertThat(p).containsExactly(new double[] {full[0] / kept, full[1] / kept, 0, 0, 0}, within(1e-12));
        double[] tiny = LogitsSampler.probabilities(LOGITS, SamplingSettings.plain().withFiltering(0, 0.01));
        assertThat(tiny).containsExactly(new double[] {1, 0, 0, 0, 0}, within(1e-12));
    }

    @Test
    void samplingFollowsTheDistribution() {
        SamplingSettings s = SamplingSettings.plain().withTemperature(1.5);
        double[] expected = softmax(LOGITS, 1.5);
        int[] counts = new int[LOGITS.length];
        SplittableRandom r = new SplittableRandom(1);
        int draws = 200_000;
        for (int i = 0; i < draws; i++) {
            counts[LogitsSampler.sample(LOGITS, s, r.nextDouble())]++;
        }
        for (int i = 0; i < counts.length; i++) {
            double sd = Math.sqrt(expected[i] * (1 - expected[i]) / draws);
            assertThat((double) counts[i] / draws).as("token %d", i).isCloseTo(expected[i], within(5 * sd));
        }
    }

    @Test
    void guidanceExtrapolatesFromTheUnconditionalLogits() {
        float[] cond = {1f, 2f};
        LogitsSampler.guide(cond, new float[] {0f, 3f}, 4.0);
        assertThat(cond).containsExactly(4f, -1f);
    }

    @Test
    void settingsNameTheBadField() {
        assertThatThrownBy(() -> new SamplingSettings(0, 0, 1, 1, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new SamplingSettings(1, -1, 1, 1, 0)).hasMessageContaining("top_k");
        assertThatThrownBy(() -> new SamplingSettings(1, 0, 0, 1, 0)).hasMessageContaining("top_p");
        assertThatThrownBy(() -> new SamplingSettings(1, 0, 1, -2, 0)).hasMessageContaining("guidance_scale");
    }
}
