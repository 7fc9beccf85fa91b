package lab.d2c.model.eval;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;

/**
 * The sampling error of FID itself: a nonparametric bootstrap over the generated samples (Efron &amp;
 * Tibshirani 1993, <i>An Introduction to the Bootstrap</i>, ch. 6 for the standard error; Davison &amp;
 * Hinkley 1997, <i>Bootstrap Methods and their Application</i>, section 5.2 for the basic interval).
 * Each replicate draws n of the n generated feature rows with replacement,
 * refits their Gaussian and takes its Fréchet distance to the fixed reference statistics; the
 * reference is not resampled, because it is shared by every arm that is compared (its error moves
 * them together).
 *
 * <p>Which interval, and what it covers: at a finite n the FID estimator is biased upwards (the mean
 * term alone by tr(S)/n, the covariance term more in high dimension), and a bootstrap replicate
 * repeats about the same bias on top of the estimate. The percentile interval (the 2.5th and 97.5th
 * percentiles of the replicates) therefore sits above the estimate, around E[FID_n] + bias: at the
 * demo's 100 samples of 128-d features its lower end was within 1 of the estimate and its upper end 21
 * above. The basic interval [2 FID - q_97.5, 2 FID - q_2.5] reflects the replicates about the
 * estimate, so the bias the bootstrap sees is subtracted instead of added: it targets the population
 * FID, and it is what {@link Result#low()} and {@link Result#high()} are (the test checks its coverage
 * of the population FID where the percentile interval misses it). The percentiles are kept too.
 * Differences between arms scored with the same n cancel most of the bias either way
 * ({@link #difference}, also a basic interval).
 *
 * <p>Draws come from a {@link SplittableRandom} seeded by the caller: the same features and seed
 * give the same replicates.
 */
public final class FidBootstrap {

    /** The two-sided coverage of the intervals here. */
    public static final double LEVEL = 0.95;

    /**
     * @param estimate       the FID of the features themselves
     * @param replicates     the B bootstrap FIDs, in draw order
     * @param std            their standard deviation (B - 1 denominator: Efron &amp; Tibshirani eq. 6.6)
     * @param low            the basic interval's lower end, 2 estimate - q_97.5
     * @param high           its upper end, 2 estimate - q_2.5
     * @param percentileLow  the 2.5th percentile of the replicates (the percentile interval's lower end)
     * @param percentileHigh the 97.5th percentile
     */
    public record Result(double estimate, double[] replicates, double std, double low, double high,
            double percentileLow, double percentileHigh) {
    }

    /**
     * A bootstrap distribution of a difference.
     *
     * @param low           the basic interval's lower end, 2 estimate - q_97.5 of the index-wise differences
     * @param high          its upper end, 2 estimate - q_2.5
     * @param excludesZero  whether the interval lies wholly on one side of zero
     */
    public record Difference(double[] replicates, double low, double high, boolean excludesZero) {
    }

    private FidBootstrap() {
    }

    /**
     * B replicates of FID(generated rows resampled, reference).
     *
     * @param features  the generated features [n, d], n >= 2
     * @param reference the reference Gaussian
     * @param b         replicates, >= 2
     * @param seed      seeds the resampling
     */
    public static Result of(DMatrixRMaj features, GaussianStats reference, int b, long seed) {
        int n = features.numRows;
        int d = features.numCols;
        if (b < 2) {
            throw new IllegalArgumentException("need at least 2 bootstrap replicates, got " + b);
        }
        if (n < 2) {
            throw new IllegalArgumentException("need at least 2 feature vectors, got " + n);
        }
        double estimate = FrechetDistance.between(GaussianStats.of(features), reference).value();
        SplittableRandom random = new SplittableRandom(seed);
        DMatrixRMaj resample = new DMatrixRMaj(n, d);
        double[] replicates = new double[b];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < n; i++) {
                System.arraycopy(features.data, random.nextInt(n) * d, resample.data, i * d, d);
            }
            replicates[r] = FrechetDistance.between(GaussianStats.of(resample), reference).value();
        }
        double qLow = percentile(replicates, (1 - LEVEL) / 2);
        double qHigh = percentile(replicates, 1 - (1 - LEVEL) / 2);
        return new Result(estimate, replicates, std(replicates), 2 * estimate - qHigh, 2 * estimate - qLow, qLow,
                qHigh);
    }

    /**
     * The bootstrap distribution of a - b for two arms' replicates drawn independently (different
     * samples, separate resampling): pairing replicate i of one with replicate i of the other pairs
     * independent draws, so the index-wise differences are draws from the difference's bootstrap
     * distribution, and the basic interval reflects them about {@code estimate}, the difference of the
     * two arms' FIDs. Uses the shorter length when they differ.
     */
    public static Difference difference(double estimate, double[] a, double[] b) {
        int m = Math.min(a.length, b.length);
        if (m < 2) {
            throw new IllegalArgumentException("need at least 2 replicates on each side, got " + a.length
                    + " and " + b.length);
        }
        double[] diff = new double[m];
        for (int i = 0; i < m; i++) {
            diff[i] = a[i] - b[i];
        }
        double low = 2 * estimate - percentile(diff, 1 - (1 - LEVEL) / 2);
        double high = 2 * estimate - percentile(diff, (1 - LEVEL) / 2);
        return new Difference(diff, low, high, low > 0 || high < 0);
    }

    /** The p-quantile with linear interpolation between order statistics (numpy's default, type 7). */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    static double std(double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / (values.length - 1));
    }
}
