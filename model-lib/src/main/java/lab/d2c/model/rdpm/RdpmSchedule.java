package lab.d2c.model.rdpm;

import java.util.Arrays;
import lab.d2c.config.rdpm.RdpmScheduleKind;

/**
 * RDPM's variance schedule over its T quantization steps (arXiv:2412.18390, Eq. 2 and section 4.3): at
 * step t = 1..T the quantizer sees v_t = alpha_t z_t + beta_t eps_t with
 * <pre>
 *   sin:    alpha_t = sin(pi/2 * t/T)
 *   linear: alpha_t = t/T
 *   pow:    alpha_t = phi^(T - t)
 *   beta_t = sqrt(1 - alpha_t^2)      (beta_t^2 + alpha_t^2 = 1, section 3.1)
 * </pre>
 * All three reach alpha_T = 1, so the last step quantizes the bare residual. Values in double; the
 * quantizer casts them to its activations' type.
 */
public final class RdpmSchedule {

    private final double[] alphas;
    private final double[] betas;

    private RdpmSchedule(double[] alphas) {
        this.alphas = alphas;
        this.betas = new double[alphas.length];
        for (int i = 0; i < alphas.length; i++) {
            betas[i] = Math.sqrt(Math.max(0, 1 - alphas[i] * alphas[i]));
        }
    }

    /**
     * The named schedule over {@code steps} steps.
     *
     * @param phi the pow schedule's base in (0, 1); ignored by sin and linear
     */
    public static RdpmSchedule of(RdpmScheduleKind kind, int steps, double phi) {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        double[] a = new double[steps];
        for (int t = 1; t <= steps; t++) {
            a[t - 1] = switch (kind) {
                case SIN -> Math.sin(Math.PI / 2 * t / steps);
                case LINEAR -> (double) t / steps;
                case POW -> Math.pow(phi, steps - t);
            };
        }
        // sin(pi/2) and T/T are 1 in double, phi^0 too; pinned so that beta_T is exactly 0
        a[steps - 1] = 1;
        return new RdpmSchedule(a);
    }

    /**
     * A schedule with the given alpha_1..alpha_T (ablations and tests, e.g. all ones: plain residual VQ).
     *
     * @throws IllegalArgumentException unless every alpha is in [0, 1] and the last is 1
     */
    public static RdpmSchedule ofAlphas(double... alphas) {
        if (alphas.length == 0 || alphas[alphas.length - 1] != 1) {
            throw new IllegalArgumentException("need alpha_T = 1, got " + Arrays.toString(alphas));
        }
        for (double a : alphas) {
            if (!(a >= 0 && a <= 1)) {
                throw new IllegalArgumentException("alphas must be in [0, 1], got " + Arrays.toString(alphas));
            }
        }
        return new RdpmSchedule(alphas.clone());
    }

    /** T. */
    public int steps() {
        return alphas.length;
    }

    /** alpha_t, t in 1..T: the latent's share of v_t. */
    public double alpha(int t) {
        return alphas[t - 1];
    }

    /** beta_t = sqrt(1 - alpha_t^2), t in 1..T: the noise's share of v_t. */
    public double beta(int t) {
        return betas[t - 1];
    }

    /** Eq. 4's gamma_t: alpha_t when weighting (Table 2 'weight'), else 1. */
    public double gamma(int t, boolean weighting) {
        return weighting ? alpha(t) : 1;
    }
}
