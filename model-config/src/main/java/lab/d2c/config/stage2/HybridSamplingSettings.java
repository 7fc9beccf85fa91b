package lab.d2c.config.stage2;

import static lab.d2c.config.ConfigValues.integer;
import static lab.d2c.config.ConfigValues.number;

import com.fasterxml.jackson.databind.JsonNode;
import lab.d2c.config.ConfigRules;
import lab.d2c.config.ConfigValues;

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
public record HybridSamplingSettings(int steps, double guidanceScale, GuidanceSchedule guidanceSchedule,
        double temperature, double x0Clip) {

    public HybridSamplingSettings {
        String p = "stage2.sample.";
        new ConfigRules()
                .atLeast(p + "steps", steps, 1)
                .check(guidanceScale >= 1, p + "guidance_scale", p + "guidance_scale must be >= 1, got " + guidanceScale)
                .check(guidanceSchedule != null, p + "guidance_schedule",
                        p + "guidance_schedule must be linear or constant, got 'null'")
                .check(temperature > 0, p + "temperature", p + "temperature must be > 0, got " + temperature)
                .check(x0Clip >= 0, p + "x0_clip", p + "x0_clip must be >= 0, got " + x0Clip)
                .throwIfBroken();
    }

    /** The settings of a config tree's {@code stage2.sample} section. */
    public static HybridSamplingSettings fromConfig(JsonNode config) {
        String p = "stage2.sample.";
        return new HybridSamplingSettings(integer(config, p + "steps"), number(config, p + "guidance_scale"),
                ConfigValues.parse(config, p + "guidance_schedule", GuidanceSchedule::of),
                number(config, p + "temperature"), number(config, p + "x0_clip"));
    }

    /** The paper's defaults at 64 steps: guidance 4.0 on a linear schedule, temperature 1.0, no clip. */
    public static HybridSamplingSettings defaults() {
        return new HybridSamplingSettings(64, 4.0, GuidanceSchedule.LINEAR, 1.0, 0);
    }

    /** The guidance scale of a step after which {@code maskedAfter} of {@code length} tokens stay masked. */
    public double scaleAt(int length, int maskedAfter) {
        if (guidanceSchedule == GuidanceSchedule.CONSTANT) {
            return guidanceScale;
        }
        return 1 + (guidanceScale - 1) * (length - maskedAfter) / length;
    }

    public HybridSamplingSettings withSteps(int newSteps) {
        return new HybridSamplingSettings(newSteps, guidanceScale, guidanceSchedule, temperature, x0Clip);
    }
}
