package lab.d2c.model.diffusion;

/**
 * A sampling schedule over a subset of the training steps (guided-diffusion's
 * {@code SpacedDiffusion}): the kept steps t_0 < ... < t_{K-1} get betas
 * beta'_i = 1 - alphaBar(t_i) / alphaBar(t_{i-1}), so the kept marginals q(x_t | x_0) are those of
 * training, and the network is called with the original index t_i. One reverse step is the DDPM
 * posterior with the fixed small variance (DDPM Eq. 6-7): the predicted x_0 = (x_i -
 * sqrt(1 - alphaBar_i) eps) / sqrt(alphaBar_i), optionally clipped, then x_{i-1} = m0_i x_0 + mt_i x_i +
 * sigma_i z, z ~ N(0, I), with no noise at i = 0.
 *
 * <p>A head that learns its variance (guided-diffusion's {@code ModelVarType.LEARNED_RANGE}) picks
 * the log-variance between {@link #logPosteriorVariance} and {@link #logBeta} of these respaced
 * betas, not of the training betas: {@code respace.py}'s {@code SpacedDiffusion.__init__} rebuilds
 * the whole {@code GaussianDiffusion} from the new betas, so {@code p_mean_variance}'s min_log and
 * max_log are the respaced ones (LTH14/mar {@code diffusion/respace.py}, {@code SpacedDiffusion.__init__},
 * lines 73-87).
 *
 * <p>Why the clip exists: schedules whose last beta hits the 0.999 cap ({@code cosine}, {@code sin})
 * have alphaBar ~ 2e-9 at the last step, so the first reverse step multiplies the head's noise error
 * by ~340 (m0 / sqrt(alphaBar)). MAR samples unclipped and relies on a long-trained head; a short
 * run's head is not that precise, and clipping x_0 to the data's range keeps that step harmless.
 */
public final class RespacedSchedule {

    private final int[] timesteps;
    private final double[] x0FromX;
    private final double[] x0FromEps;
    private final double[] meanX0;
    private final double[] meanX;
    private final double[] sigma;
    private final double[] logBeta;
    private final double[] logPosteriorVariance;

    private RespacedSchedule(int[] timesteps, double[] x0FromX, double[] x0FromEps, double[] meanX0, double[] meanX,
            double[] sigma, double[] logBeta, double[] logPosteriorVariance) {
        this.timesteps = timesteps;
        this.x0FromX = x0FromX;
        this.x0FromEps = x0FromEps;
        this.meanX0 = meanX0;
        this.meanX = meanX;
        this.sigma = sigma;
        this.logBeta = logBeta;
        this.logPosteriorVariance = logPosteriorVariance;
    }

    static RespacedSchedule of(NoiseSchedule base, int count) {
        int steps = base.steps();
        if (count < 1 || count > steps) {
            throw new IllegalArgumentException("sampling steps must be in [1, " + steps + "], got " + count);
        }
        int[] kept = new int[count];
        if (count == 1) {
            kept[0] = steps - 1;
        } else {
            double stride = (steps - 1.0) / (count - 1);
            for (int i = 0; i < count; i++) {
                kept[i] = (int) Math.round(i * stride);
            }
        }
        double[] fromX = new double[count];
        double[] fromEps = new double[count];
        double[] m0 = new double[count];
        double[] mt = new double[count];
        double[] s = new double[count];
        double[] logB = new double[count];
        double[] posterior = new double[count];
        double previousBar = 1;
        for (int i = 0; i < count; i++) {
            double bar = base.alphaBar(kept[i]);
            double beta = 1 - bar / previousBar;
            fromX[i] = Math.sqrt(1 / bar);
            fromEps[i] = -Math.sqrt(1 / bar - 1);
            m0[i] = beta * Math.sqrt(previousBar) / (1 - bar);
            mt[i] = (1 - previousBar) * Math.sqrt(1 - beta) / (1 - bar);
            s[i] = i == 0 ? 0 : Math.sqrt(beta * (1 - previousBar) / (1 - bar));
            logB[i] = Math.log(beta);
            posterior[i] = beta * (1 - previousBar) / (1 - bar);
            previousBar = bar;
        }
        // the posterior variance is 0 at i = 0; posterior_log_variance_clipped takes step 1's value
        // there (LTH14/mar diffusion/gaussian_diffusion.py, GaussianDiffusion.__init__, lines 192-194).
        // With one step there is no step 1 (MAR leaves the array empty): the value is then never used
        // for noise (none is added at i = 0), and log(beta_0) stands in.
        double[] logPosterior = new double[count];
        for (int i = 0; i < count; i++) {
            logPosterior[i] = count == 1 ? logB[0] : Math.log(posterior[i == 0 ? 1 : i]);
        }
        return new RespacedSchedule(kept, fromX, fromEps, m0, mt, s, logB, logPosterior);
    }

    /** The number of reverse steps. */
    public int count() {
        return timesteps.length;
    }

    /** The training-step index the network sees at reverse step i. */
    public int timestep(int i) {
        return timesteps[i];
    }

    /** x_0 = x0FromX * x_i + x0FromEps * eps. */
    public double x0FromX(int i) {
        return x0FromX[i];
    }

    public double x0FromEps(int i) {
        return x0FromEps[i];
    }

    /** The posterior mean's coefficient of x_0. */
    public double meanX0(int i) {
        return meanX0[i];
    }

    /** The posterior mean's coefficient of x_i. */
    public double meanX(int i) {
        return meanX[i];
    }

    /** The standard deviation of the noise added at step i (0 at i = 0): the fixed small variance. */
    public double sigma(int i) {
        return sigma[i];
    }

    /**
     * log beta'_i of the respaced betas: the large end of a learned variance (guided-diffusion's
     * max_log in {@code p_mean_variance}).
     */
    public double logBeta(int i) {
        return logBeta[i];
    }

    /**
     * log of the posterior variance beta'_i (1 - alphaBar_{i-1}) / (1 - alphaBar_i), clipped: step
     * 1's value at i = 0. The small end of a learned variance (min_log) and the true posterior's
     * log-variance in the variational bound.
     */
    public double logPosteriorVariance(int i) {
        return logPosteriorVariance[i];
    }
}
