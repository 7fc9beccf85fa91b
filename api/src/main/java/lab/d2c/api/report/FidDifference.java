package lab.d2c.api.report;

import java.util.Arrays;
import java.util.List;

/**
 * The bootstrap arithmetic of an FID difference, in plain Java (the api module does not see model-lib;
 * this repeats model-lib's FidBootstrap.difference and its percentiles on purpose, and its test pins the
 * same numbers). An arm's seeds pool by averaging replicate b over the seeds, which is the bootstrap
 * distribution of the seed-mean FID under sampling noise (each seed's images resampled independently);
 * two arms' pooled replicates are independent, so their index-wise differences are draws of the
 * difference's bootstrap distribution; the interval is the basic one, those draws' 2.5th and 97.5th
 * percentiles reflected about the estimated difference (Davison &amp; Hinkley 1997, section 5.2), so
 * the finite-sample bias that each replicate adds again is subtracted, not added (see model-lib's
 * FidBootstrap). Seed-to-seed training variation is not in it: that is what the
 * Student-t interval over seeds shows.
 */
public final class FidDifference {

    private FidDifference() {
    }

    /** Replicate b averaged over the seeds' arrays; the shortest length when they differ; null when none. */
    public static double[] pool(List<double[]> seeds) {
        if (seeds.isEmpty()) {
            return null;
        }
        int m = seeds.stream().mapToInt(a -> a.length).min().orElseThrow();
        double[] pooled = new double[m];
        for (double[] s : seeds) {
            for (int b = 0; b < m; b++) {
                pooled[b] += s[b];
            }
        }
        for (int b = 0; b < m; b++) {
            pooled[b] /= seeds.size();
        }
        return pooled;
    }

    /** {low, high}: the basic 95% interval of the difference {@code estimate} from the draws a[b] - b[b]. */
    public static double[] interval(double estimate, double[] a, double[] b) {
        int m = Math.min(a.length, b.length);
        if (m < 2) {
            throw new IllegalArgumentException("need at least 2 replicates on each side");
        }
        double[] d = new double[m];
        for (int i = 0; i < m; i++) {
            d[i] = a[i] - b[i];
        }
        return new double[] {2 * estimate - percentile(d, 0.975), 2 * estimate - percentile(d, 0.025)};
    }

    /** The p-quantile, linear between order statistics (numpy's default). */
    public static double percentile(double[] values, double p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }
}
