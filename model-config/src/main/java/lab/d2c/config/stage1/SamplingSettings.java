package lab.d2c.config.stage1;

import static lab.d2c.config.ConfigValues.integer;
import static lab.d2c.config.ConfigValues.number;

import com.fasterxml.jackson.databind.JsonNode;
import lab.d2c.config.ConfigRules;

/**
 * How model-lib's {@code ArSampler} draws tokens (LlamaGen's {@code sample} arguments; the
 * {@code stage1.sample} keys).
 *
 * @param temperature    logits are divided by this (> 0; the paper uses 0.99 for stage one, section 5.3)
 * @param topK           keep the k most likely tokens; 0 = all
 * @param topP           keep the smallest set whose probability reaches p (nucleus); 1 = all
 * @param guidanceScale  classifier-free guidance: logits = uncond + scale x (cond - uncond); 1 = plain conditional
 * @param guidanceTokens guidance applies to the first this-many tokens only (LlamaGen {@code cfg_interval}); 0 = all
 */
public record SamplingSettings(double temperature, int topK, double topP, double guidanceScale, int guidanceTokens) {

    public SamplingSettings {
        String p = "stage1.sample.";
        new ConfigRules()
                .check(temperature > 0 && Double.isFinite(temperature), p + "temperature",
                        p + "temperature must be a finite number > 0, got " + temperature)
                .check(topK >= 0, p + "top_k", p + "top_k must be >= 0 (0 = all tokens), got " + topK)
                .check(topP > 0 && topP <= 1, p + "top_p", p + "top_p must be in (0, 1], got " + topP)
                .check(Double.isFinite(guidanceScale) && guidanceScale >= 0, p + "guidance_scale",
                        p + "guidance_scale must be a finite number >= 0, got " + guidanceScale)
                .check(guidanceTokens >= 0, p + "guidance_tokens",
                        p + "guidance_tokens must be >= 0 (0 = all), got " + guidanceTokens)
                .throwIfBroken();
    }

    /** The settings of a config tree's {@code stage1.sample} section. */
    public static SamplingSettings fromConfig(JsonNode config) {
        String p = "stage1.sample.";
        return new SamplingSettings(number(config, p + "temperature"), integer(config, p + "top_k"),
                number(config, p + "top_p"), number(config, p + "guidance_scale"), integer(config, p + "guidance_tokens"));
    }

    /** Temperature 1, no filtering, no guidance. */
    public static SamplingSettings plain() {
        return new SamplingSettings(1.0, 0, 1.0, 1.0, 0);
    }

    /** Whether the unconditional branch runs at all (any scale other than 1). */
    public boolean guided() {
        return guidanceScale != 1.0;
    }

    /** Whether token {@code position} (0-based) is guided. */
    public boolean guides(int position) {
        return guided() && (guidanceTokens == 0 || position < guidanceTokens);
    }

    public SamplingSettings withGuidance(double scale) {
        return new SamplingSettings(temperature, topK, topP, scale, guidanceTokens);
    }

    public SamplingSettings withTemperature(double t) {
        return new SamplingSettings(t, topK, topP, guidanceScale, guidanceTokens);
    }

    public SamplingSettings withFiltering(int k, double p) {
        return new SamplingSettings(temperature, k, p, guidanceScale, guidanceTokens);
    }
}
