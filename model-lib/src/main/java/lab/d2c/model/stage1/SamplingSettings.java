package lab.d2c.model.stage1;

/**
 * How {@link ArSampler} draws tokens (LlamaGen's {@code sample} arguments).
 *
 * @param temperature    logits are divided by this (> 0; the paper uses 0.99 for stage one, section 5.3)
 * @param topK           keep the k most likely tokens; 0 = all
 * @param topP           keep the smallest set whose probability reaches p (nucleus); 1 = all
 * @param guidanceScale  classifier-free guidance: logits = uncond + scale x (cond - uncond); 1 = plain conditional
 * @param guidanceTokens guidance applies to the first this-many tokens only (LlamaGen {@code cfg_interval}); 0 = all
 */
public record SamplingSettings(double temperature, int topK, double topP, double guidanceScale, int guidanceTokens) {

    public SamplingSettings {
        if (!(temperature > 0) || !Double.isFinite(temperature)) {
            throw new IllegalArgumentException("SamplingSettings.temperature: must be a finite number > 0, got "
                    + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("SamplingSettings.topK: must be >= 0 (0 = all tokens), got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("SamplingSettings.topP: must be in (0, 1], got " + topP);
        }
        if (!Double.isFinite(guidanceScale) || guidanceScale < 0) {
            throw new IllegalArgumentException("SamplingSettings.guidanceScale: must be a finite number >= 0, got "
                    + guidanceScale);
        }
        if (guidanceTokens < 0) {
            throw new IllegalArgumentException("SamplingSettings.guidanceTokens: must be >= 0 (0 = all), got "
                    + guidanceTokens);
        }
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
