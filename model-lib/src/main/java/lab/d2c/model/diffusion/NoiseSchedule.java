package lab.d2c.model.diffusion;

import java.util.function.DoubleUnaryOperator;
import lab.d2c.config.ConfigEnum;
import lab.d2c.config.diffusion.NoiseScheduleKind;

/**
 * The variances of the forward process q(x_t | x_{t-1}) = N(sqrt(1 - beta_t) x_{t-1}, beta_t I)
 * over T training steps, and their products alphaBar_t = prod_{s <= t} (1 - beta_s), so that
 * q(x_t | x_0) = N(sqrt(alphaBar_t) x_0, (1 - alphaBar_t) I) (DDPM, Ho et al. 2020, Eq. 4).
 * Index t runs 0 .. T-1 as in MAR's {@code gaussian_diffusion.py}.
 *
 * <p>Kinds ({@link NoiseScheduleKind}, the {@code stage2.noise_schedule} key):
 * <ul>
 *   <li>{@code linear}: DDPM's betas from 1e-4 to 0.02, scaled by 1000 / T;</li>
 *   <li>{@code cosine}: Nichol and Dhariwal's alphaBar(u) = cos^2((u + 0.008) / 1.008 * pi / 2),
 *       MAR's default.</li>
 * </ul>
 * These are the two MAR's {@code create_diffusion} offers. RDPM's sin, linear and pow(phi)
 * schedules are not among them: they set how much noise RDPM's recurrent tokenizer mixes in over
 * its 10 quantization steps (RDPM, arXiv:2412.18390, Table 4), not a 1000-step DDPM schedule.
 * Stretched to one, sin was the cosine schedule without its offset and pow(0.75) ended at
 * alphaBar_T = 3.2e-3 while sampling starts from pure noise, so they belong to RDPM's tokenizer.
 * Schedules given by alphaBar(u) are discretized as guided-diffusion's
 * {@code betas_for_alpha_bar}: beta_t = min(1 - alphaBar((t+1)/T) / alphaBar(t/T), 0.999), the
 * cap keeping the last step's signal above zero.
 */
public final class NoiseSchedule {

    /** The schedules a diffusion head offers: MAR's. */
    public static final java.util.List<String> KINDS = ConfigEnum.keys(NoiseScheduleKind.class);

    /** MAR's number of training steps. */
    public static final int TRAINING_STEPS = NoiseScheduleKind.TRAINING_STEPS;

    private static final double MAX_BETA = 0.999;

    private final String name;
    private final double[] betas;
    private final double[] alphaBars;

    private NoiseSchedule(String name, double[] betas) {
        this.name = name;
        this.betas = betas;
        this.alphaBars = new double[betas.length];
        double product = 1;
        for (int t = 0; t < betas.length; t++) {
            product *= 1 - betas[t];
            alphaBars[t] = product;
        }
    }

    /**
     * The schedule named {@code spec} over {@code steps} steps.
     *
     * @throws IllegalArgumentException naming the spec and the kinds there are
     */
    public static NoiseSchedule of(String spec, int steps) {
        requireSteps(steps);
        return of(NoiseScheduleKind.of(spec), steps);
    }

    /** The schedule {@code kind} over {@code steps} steps. */
    public static NoiseSchedule of(NoiseScheduleKind kind, int steps) {
        requireSteps(steps);
        return switch (kind) {
            case LINEAR -> linear(steps);
            case COSINE -> fromAlphaBar(kind.key(), steps, u -> square(Math.cos((u + 0.008) / 1.008 * Math.PI / 2)));
        };
    }

    private static void requireSteps(int steps) {
        if (steps < 2) {
            throw new IllegalArgumentException("noise schedule: steps must be >= 2, got " + steps);
        }
    }

    private static NoiseSchedule linear(int steps) {
        double scale = 1000.0 / steps;
        double start = scale * 1e-4;
        double end = scale * 0.02;
        double[] betas = new double[steps];
        for (int t = 0; t < steps; t++) {
            betas[t] = start + (end - start) * t / (steps - 1);
        }
        return new NoiseSchedule("linear", betas);
    }

    private static NoiseSchedule fromAlphaBar(String name, int steps, DoubleUnaryOperator alphaBar) {
        double[] betas = new double[steps];
        for (int t = 0; t < steps; t++) {
            double ratio = alphaBar.applyAsDouble((t + 1.0) / steps) / alphaBar.applyAsDouble((double) t / steps);
            betas[t] = Math.min(1 - ratio, MAX_BETA);
        }
        return new NoiseSchedule(name, betas);
    }

    private static double square(double x) {
        return x * x;
    }

    /** The canonical name ({@code linear} or {@code cosine}). */
    public String name() {
        return name;
    }

    public int steps() {
        return betas.length;
    }

    public double beta(int t) {
        return betas[t];
    }

    /** alphaBar_t: the signal variance left at step t. */
    public double alphaBar(int t) {
        return alphaBars[t];
    }

    /**
     * The sampling schedule over {@code count} of the T steps, evenly spaced with the first and
     * last kept (guided-diffusion's {@code space_timesteps} with one section).
     */
    public RespacedSchedule respaced(int count) {
        return RespacedSchedule.of(this, count);
    }
}
