package lab.d2c.model.stage2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The training mask ratio, the cosine generation schedule and random orders. */
class MaskingTest {

    /** The standard normal density and distribution function (erf by numerical integration). */
    private static double pdf(double x) {
        return Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    }

    private static double cdf(double x) {
        // integrate the density from -8 with Simpson's rule
        int steps = 4000;
        double a = -8;
        double h = (x - a) / steps;
        double s = pdf(a) + pdf(x);
        for (int i = 1; i < steps; i++) {
            s += (i % 2 == 1 ? 4 : 2) * pdf(a + i * h);
        }
        return s * h / 3;
    }

    @Test
    void theMaskRatioStaysInItsBoundsAndFollowsTheTruncatedGaussian() {
        MaskRatioSampler sampler = new MaskRatioSampler(0.7);
        SplittableRandom r = new SplittableRandom(3);
        int n = 40000;
        double[] draws = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            draws[i] = sampler.draw(r);
            assertThat(draws[i]).isBetween(0.7, 1.0);
            sum += draws[i];
        }
        // mean of N(1, 0.25^2) truncated to [0.7, 1]: 1 + 0.25 (pdf(-1.2) - pdf(0)) / (cdf(0) - cdf(-1.2))
        double alpha = (0.7 - 1.0) / 0.25;
        double z = cdf(0) - cdf(alpha);
        double mean = 1 + 0.25 * (pdf(alpha) - pdf(0)) / z;
        assertThat(mean).isCloseTo(0.867, within(0.001));
        assertThat(sum / n).isCloseTo(mean, within(0.002));
        // Kolmogorov-Smirnov distance to the truncated CDF, below the 1% critical value 1.63 / sqrt(n)
        Arrays.sort(draws);
        double worst = 0;
        for (int i = 0; i < n; i += 97) {
            double expected = (cdf((draws[i] - 1) / 0.25) - cdf(alpha)) / z;
            worst = Math.max(worst, Math.abs(expected - (i + 1.0) / n));
        }
        assertThat(worst).isLessThan(1.63 / Math.sqrt(n));
        assertThat(MaskRatioSampler.maskedCount(64, 0.7)).isEqualTo(45);
        assertThat(MaskRatioSampler.maskedCount(64, 1.0)).isEqualTo(64);
        assertThatThrownBy(() -> new MaskRatioSampler(1.0)).hasMessageContaining("(0, 1)");
    }

    @Test
    void theCosineScheduleMasksTheExpectedCountsAtEachStep() {
        // MAR: floor(16 cos(pi/2 * s/4)) for s = 1, 2, 3 -> 14, 11, 6, then 0
        assertThat(MaskSchedule.maskedAfter(16, 4)).containsExactly(14, 11, 6, 0);
        assertThat(MaskSchedule.predictedPerStep(16, 4)).containsExactly(2, 3, 5, 6);
        for (int steps : new int[] {1, 8, 16, 64}) {
            int[] predicted = MaskSchedule.predictedPerStep(64, steps);
            assertThat(Arrays.stream(predicted).sum()).as("%d steps reveal every token", steps).isEqualTo(64);
            assertThat(Arrays.stream(predicted).min().orElseThrow()).isPositive();
            int[] after = MaskSchedule.maskedAfter(64, steps);
            for (int s = 0; s < steps - 1; s++) {
                double cosine = Math.floor(64 * Math.cos(Math.PI / 2 * (s + 1) / steps));
                assertThat(after[s]).isEqualTo((int) Math.max(1, Math.min(s == 0 ? 63 : after[s - 1] - 1, cosine)));
            }
        }
        // as many steps as tokens: one token per step
        assertThat(MaskSchedule.predictedPerStep(64, 64)).containsOnly(1);
        assertThatThrownBy(() -> MaskSchedule.maskedAfter(16, 17)).hasMessageContaining("[1, 16]");
    }

    @Test
    void ordersArePermutationsAndTheirPrefixIsMasked() {
        SplittableRandom r = new SplittableRandom(1);
        int[] order = GenerationOrder.random(16, r);
        assertThat(order).containsExactlyInAnyOrder(java.util.stream.IntStream.range(0, 16).toArray());
        boolean[] mask = GenerationOrder.maskFirst(order, 5);
        for (int k = 0; k < 16; k++) {
            assertThat(mask[order[k]]).isEqualTo(k < 5);
        }
        // every position is equally likely to come first
        int[] first = new int[4];
        for (int i = 0; i < 8000; i++) {
            first[GenerationOrder.random(4, r)[0]]++;
        }
        for (int count : first) {
            assertThat(count).isBetween(1800, 2200);
        }
    }
}
