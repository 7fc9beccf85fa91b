package lab.d2c.model.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;

/**
 * Coverage of the bootstrap intervals on Gaussian features whose FID has a closed form: features
 * N(mu, diag(s)) against the reference N(0, I) are at FID |mu|^2 + sum (sqrt(s_j) - 1)^2.
 */
class FidBootstrapTest {

    private static final int D = 4;
    private static final int N = 200;
    private static final int B = 200;
    private static final double[] VARIANCES = {1.0, 1.5, 0.5, 2.0};
    private static final GaussianStats REFERENCE = new GaussianStats(new double[D], identity(), 1_000_000);

    @Test
    void percentileIsNumpysLinearInterpolation() {
        double[] v = {4, 1, 3, 2};
        // np.percentile([4, 1, 3, 2], [0, 25, 50, 97.5, 100]) = [1, 1.75, 2.5, 3.925, 4]
        assertThat(FidBootstrap.percentile(v, 0)).isEqualTo(1.0);
        assertThat(FidBootstrap.percentile(v, 0.25)).isCloseTo(1.75, within(1e-12));
        assertThat(FidBootstrap.percentile(v, 0.5)).isCloseTo(2.5, within(1e-12));
        assertThat(FidBootstrap.percentile(v, 0.975)).isCloseTo(3.925, within(1e-12));
        assertThat(FidBootstrap.percentile(v, 1)).isEqualTo(4.0);
    }

    @Test
    void theSameSeedGivesTheSameReplicates() {
        DMatrixRMaj x = features(new SplittableRandom(1), new double[] {1, 0, 0, 0}, N);
        FidBootstrap.Result a = FidBootstrap.of(x, REFERENCE, 20, 7);
        assertThat(FidBootstrap.of(x, REFERENCE, 20, 7).replicates()).containsExactly(a.replicates());
        assertThat(FidBootstrap.of(x, REFERENCE, 20, 8).replicates()).isNotEqualTo(a.replicates());
        assertThat(a.low()).isLessThan(a.high());
    }

    /**
     * The basic interval targets the population FID: from 100 independent feature sets of n = 200, its
     * coverage of the closed-form FID is 88-99%, and the bootstrap std matches the estimator's spread
     * measured from 2000 independent draws. In a regime where the finite-n bias is a large share of the
     * standard error (n = 40, d = 4), the percentile interval, which adds the bias again, covers the
     * population FID clearly less often than the basic interval, which subtracts it.
     */
    @Test
    void theBasicIntervalCoversThePopulationFidAboutNinetyFivePercentOfTheTime() {
        double[] mu = {1.0, 0.5, 0, 0};
        double population = closedForm(mu);
        SplittableRandom random = new SplittableRandom(20240601L);
        int draws = 2000;
        double sum = 0;
        double sumSq = 0;
        for (int i = 0; i < draws; i++) {
            double f = fid(features(random, mu, N));
            sum += f;
            sumSq += f * f;
        }
        double sd = Math.sqrt((sumSq - sum * sum / draws) / (draws - 1));
        assertThat(sum / draws).isGreaterThan(population); // FID is biased upwards at finite n

        int[] covered = coverage(random, mu, N, population, 100);
        assertThat(covered[0]).as("basic interval").isBetween(88, 99);
        assertThat(covered[2] / 100.0).as("mean bootstrap std").isCloseTo(sd, within(0.15 * sd));

        int[] small = coverage(random, mu, 40, population, 100);
        assertThat(small[0]).as("basic interval at n = 40").isBetween(85, 100);
        assertThat(small[1]).as("percentile interval at n = 40").isLessThan(small[0] - 10);
    }

    /** {basic covered, percentile covered, sum of the bootstrap stds x 100 / trials} over trials intervals. */
    private static int[] coverage(SplittableRandom random, double[] mu, int n, double truth, int trials) {
        int basic = 0;
        int percentile = 0;
        double stdSum = 0;
        for (int t = 0; t < trials; t++) {
            FidBootstrap.Result r = FidBootstrap.of(features(random, mu, n), REFERENCE, B, 1000 + t);
            assertThat(r.low()).isCloseTo(2 * r.estimate() - r.percentileHigh(), within(1e-9));
            stdSum += r.std();
            if (r.low() <= truth && truth <= r.high()) {
                basic++;
            }
            if (r.percentileLow() <= truth && truth <= r.percentileHigh()) {
                percentile++;
            }
        }
        return new int[] {basic, percentile, (int) Math.round(stdSum * 100 / trials)};
    }

    /**
     * Two arms with the same covariance and different means: the finite-n bias of FID does not depend
     * on the mean (E|mean_n - 0|^2 = |mu|^2 + tr(S)/n, and the covariance term's law is the same), so
     * E[FID_n(a) - FID_n(b)] is exactly |mu_a|^2 - |mu_b|^2, the population difference, and the basic
     * interval of the difference should cover it about 95% of the time.
     */
    @Test
    void theDifferenceIntervalCoversAKnownDifference() {
        double[] muA = {1.0, 0.5, 0, 0};
        double[] muB = {0.6, 0.5, 0, 0};
        double truth = closedForm(muA) - closedForm(muB);
        assertThat(truth).isCloseTo(0.64, within(1e-12));
        SplittableRandom random = new SplittableRandom(99);
        int trials = 100;
        int covered = 0;
        int excluded = 0;
        for (int t = 0; t < trials; t++) {
            FidBootstrap.Result a = FidBootstrap.of(features(random, muA, N), REFERENCE, B, 2 * t);
            FidBootstrap.Result b = FidBootstrap.of(features(random, muB, N), REFERENCE, B, 2 * t + 1);
            FidBootstrap.Difference diff = FidBootstrap.difference(a.estimate() - b.estimate(), a.replicates(),
                    b.replicates());
            if (diff.low() <= truth && truth <= diff.high()) {
                covered++;
            }
            assertThat(diff.excludesZero()).isEqualTo(diff.low() > 0 || diff.high() < 0);
            if (diff.excludesZero()) {
                excluded++;
            }
        }
        assertThat(covered).isBetween(88, 99);
        // about 3 standard errors away from zero: most intervals see it
        assertThat(excluded).isGreaterThan(60);
    }

    @Test
    void theDifferenceOfAnArmWithItselfIsZero() {
        DMatrixRMaj x = features(new SplittableRandom(5), new double[] {1, 0, 0, 0}, N);
        double[] r = FidBootstrap.of(x, REFERENCE, 50, 3).replicates();
        FidBootstrap.Difference d = FidBootstrap.difference(0, r, r);
        assertThat(d.low()).isZero();
        assertThat(d.high()).isZero();
        assertThat(d.excludesZero()).isFalse();
    }

    private static double closedForm(double[] mu) {
        double f = 0;
        for (int j = 0; j < D; j++) {
            f += mu[j] * mu[j] + Math.pow(Math.sqrt(VARIANCES[j]) - 1, 2);
        }
        return f;
    }

    private static double fid(DMatrixRMaj x) {
        return FrechetDistance.between(GaussianStats.of(x), REFERENCE).value();
    }

    private static DMatrixRMaj features(SplittableRandom random, double[] mu, int n) {
        DMatrixRMaj x = new DMatrixRMaj(n, D);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < D; j++) {
                x.data[i * D + j] = mu[j] + Math.sqrt(VARIANCES[j]) * random.nextGaussian();
            }
        }
        return x;
    }

    private static org.ejml.data.DMatrixRMaj identity() {
        return org.ejml.dense.row.CommonOps_DDRM.identity(D);
    }
}
