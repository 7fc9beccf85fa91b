package lab.d2c.model.diffusion;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The variances of the forward process q(x_t | x_{t-1}) = N(sqrt(1 - beta_t) x_{t-1}, beta_t I)
 * over T training steps, and their products alphaBar_t = prod_{s <= t} (1 - beta_s), so that
 * q(x_t | x_0) = N(sqrt(alphaBar_t) x_0, (1 - alphaBar_t) I) (DDPM, Ho et al. 2020, Eq. 4).
 * Index t runs 0 .. T-1 as in MAR's {@code gaussian_diffusion.py}.
 *
 * <p>Kinds, chosen by name:
 * <ul>
 *   <li>{@code linear}: DDPM's betas from 1e-4 to 0.02, scaled by 1000 / T;</li>
 *   <li>{@code cosine}: Nichol and Dhariwal's alphaBar(u) = cos^2((u + 0.008) / 1.008 * pi / 2),
 *       MAR's default;</li>
 *   <li>{@code sin}: RDPM's signal rate sin(pi/2 * t'/T) (RDPM, Wu et al. 2024, arXiv:2412.18390, Table 4),
 *       with t' = T - t counting towards the clean end, so the signal sqrt(alphaBar(u)) =
 *       cos(pi/2 * u) at u = t/T: the cosine schedule without its offset;</li>
 *   <li>{@code pow(phi)}: RDPM's signal rate phi^(T' - t') over its T' = 10 steps, stretched to
 *       u in [0, 1]: sqrt(alphaBar(u)) = phi^(10 u), a constant beta.</li>
 * </ul>
 * Schedules given by alphaBar(u) are discretized as guided-diffusion's
 * {@code betas_for_alpha_bar}: beta_t = min(1 - alphaBar((t+1)/T) / alphaBar(t/T), 0.999), the
 * cap keeping the last step's signal above zero.
 */
public final class NoiseSchedule {

    /** MAR's number of training steps. */
    public static final int TRAINING_STEPS = 1000;

    /** RDPM's number of quantization steps, the span its pow schedule is written over. */
    static final int RDPM_STEPS = 10;

    private static final double MAX_BETA = 0.999;
    private static final Pattern POW = Pattern.compile("pow\\(([0-9.eE+-]+)\\)");

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
        if (steps < 2) {
            throw new IllegalArgumentException("noise schedule: steps must be >= 2, got " + steps);
        }
        String s = spec == null ? "" : spec.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "linear":
                return linear(steps);
            case "cosine":
                return fromAlphaBar(s, steps, u -> square(Math.cos((u + 0.008) / 1.008 * Math.PI / 2)));
            case "sin":
                return fromAlphaBar(s, steps, u -> square(Math.cos(Math.PI / 2 * u)));
            default:
                Matcher m = POW.matcher(s);
                if (m.matches()) {
                    double phi = parsePhi(spec, m.group(1));
                    return fromAlphaBar("pow(" + phi + ")", steps, u -> Math.pow(phi, 2 * RDPM_STEPS * u));
                }
                throw new IllegalArgumentException("noise schedule '" + spec
                        + "' is not one of linear, cosine, sin, pow(phi) with 0 < phi < 1");
        }
    }

    /**
     * Whether {@code spec} names a schedule; the reason when it does not, else null. For spec
     * validation without building a schedule.
     */
    public static String problem(String spec) {
        try {
            of(spec, 2);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    private static double parsePhi(String spec, String text) {
        double phi;
        try {
            phi = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            phi = Double.NaN;
        }
        if (!(phi > 0 && phi < 1)) {
            throw new IllegalArgumentException("noise schedule '" + spec + "': phi must be in (0, 1), got " + text);
        }
        return phi;
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

    /** The canonical name ({@code linear}, {@code cosine}, {@code sin}, {@code pow(0.75)}). */
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
