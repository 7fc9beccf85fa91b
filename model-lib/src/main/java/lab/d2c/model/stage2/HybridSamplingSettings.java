package lab.d2c.model.stage2;

import java.util.Locale;

/**
 * Stage-two sampling settings (MAR's {@code sample_tokens} arguments; paper section 5.1).
 *
 * @param steps            generation steps N over the token sequence (AR steps; 64 in the paper)
 * @param guidanceScale    classifier-free guidance scale on the head's noise (4.0); 1 for none
 * @param guidanceSchedule {@code linear} (1 + (w - 1) (N_tokens - masked) / N_tokens, after Muse) or
 *                         {@code constant}
 * @param temperature      the diffusion sampler's noise temperature (1.0)
 * @param x0Clip           clip of the predicted x_0 while denoising; 0 for none
 */
public record HybridSamplingSettings(int steps, double guidanceScale, String guidanceSchedule, double temperature,
        double x0Clip) {

    public HybridSamplingSettings {
        if (steps < 1) {
            throw new IllegalArgumentException("stage2.sample.steps must be >= 1, got " + steps);
        }
        if (!(guidanceScale >= 1)) {
            throw new IllegalArgumentException("stage2.sample.guidance_scale must be >= 1, got " + guidanceScale);
        }
        String g = guidanceSchedule == null ? "" : guidanceSchedule.toLowerCase(Locale.ROOT);
        if (!g.equals("linear") && !g.equals("constant")) {
            throw new IllegalArgumentException("stage2.sample.guidance_schedule must be linear or constant, got '"
                    + guidanceSchedule + "'");
        }
        guidanceSchedule = g;
        if (!(temperature > 0)) {
            throw new IllegalArgumentException("stage2.sample.temperature must be > 0, got " + temperature);
        }
        if (!(x0Clip >= 0)) {
            throw new IllegalArgumentException("stage2.sample.x0_clip must be >= 0, got " + x0Clip);
        }
    }

    /** The paper's defaults at 64 steps: guidance 4.0 on a linear schedule, temperature 1.0, no clip. */
    public static HybridSamplingSettings defaults() {
        return new HybridSamplingSettings(64, 4.0, "linear", 1.0, 0);
    }

    /** The guidance scale of a step after which {@code maskedAfter} of {@code length} tokens stay masked. */
    public double scaleAt(int length, int maskedAfter) {
        if (guidanceSchedule.equals("constant")) {
            return guidanceScale;
        }
        return 1 + (guidanceScale - 1) * (length - maskedAfter) / length;
    }

    public HybridSamplingSettings withSteps(int newSteps) {
        return new HybridSamplingSettings(newSteps, guidanceScale, guidanceSchedule, temperature, x0Clip);
    }
}
