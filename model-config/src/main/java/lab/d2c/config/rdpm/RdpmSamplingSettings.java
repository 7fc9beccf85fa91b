package lab.d2c.config.rdpm;

import static lab.d2c.config.ConfigValues.bool;
import static lab.d2c.config.ConfigValues.number;

import com.fasterxml.jackson.databind.JsonNode;
import lab.d2c.config.ConfigEnum;
import lab.d2c.config.ConfigRules;
import lab.d2c.config.ConfigValues;
import lab.d2c.config.stage2.GuidanceSchedule;

/**
 * How RDPM's sampler chooses each step's codes (arXiv:2412.18390, section 3.2 and Table 3; the {@code rdpm.sample.*}
 * keys). Classifier-free guidance in the paper's form v = cond + (cond - uncond) x lambda_t, so lambda = 0 is the
 * plain conditional prediction (not 1, as in the uncond + w (cond - uncond) form of stage one and stage two).
 * The paper reports no values for lambda or tau; the builder's defaults are the unguided argmax ("Raw", Table 3).
 *
 * @param guidanceScale    lambda, the guidance strength (>= 0; 0 = no guidance, the unconditional pass is skipped)
 * @param guidanceSchedule {@code constant}: lambda at every step; {@code linear} (Table 3 "CFG linear", after MaskGIT):
 *                         lambda_t = lambda x t / T at step t = 1..T, a small guidance first, lambda at the last step
 * @param gumbel           whether Eq. 8's Gumbel noise is added before the argmax (Table 3 "+ Gumbel"); else argmax
 * @param temperature      tau of Eq. 8, argmax(v x tau - log(-log u)): it multiplies the logits, so a large tau
 *                         approaches the plain argmax and a small one a uniform choice (> 0)
 */
public record RdpmSamplingSettings(double guidanceScale, GuidanceSchedule guidanceSchedule, boolean gumbel,
        double temperature) {

    private static final String P = "rdpm.sample.";

    public RdpmSamplingSettings {
        new ConfigRules()
                .check(Double.isFinite(guidanceScale) && guidanceScale >= 0, P + "guidance_scale",
                        P + "guidance_scale must be a finite number >= 0 (0 = no guidance), got " + guidanceScale)
                .required(P + "guidance_schedule", guidanceSchedule, ConfigEnum.joinedKeys(GuidanceSchedule.class))
                .check(Double.isFinite(temperature) && temperature > 0, P + "temperature",
                        P + "temperature must be a finite number > 0, got " + temperature)
                .throwIfBroken();
    }

    /** The settings of a config tree's {@code rdpm.sample} section. */
    public static RdpmSamplingSettings fromConfig(JsonNode config) {
        return builder()
                .optGuidanceScale(number(config, P + "guidance_scale"))
                .optGuidanceSchedule(ConfigValues.parse(config, P + "guidance_schedule",
                        key -> ConfigEnum.parse(GuidanceSchedule.class, key, P + "guidance_schedule")))
                .optGumbel(bool(config, P + "gumbel"))
                .optTemperature(number(config, P + "temperature"))
                .build();
    }

    /**
     * lambda_t, the guidance strength at step {@code t} of {@code steps} (t = 1..T): lambda for {@code constant},
     * lambda x t / T for {@code linear}.
     */
    public double scaleAt(int t, int steps) {
        if (t < 1 || t > steps) {
            throw new IllegalArgumentException("RdpmSamplingSettings.scaleAt: step " + t + " outside 1.." + steps);
        }
        if (guidanceSchedule == GuidanceSchedule.CONSTANT) {
            return guidanceScale;
        }
        return guidanceScale * t / steps;
    }

    /** A builder whose defaults are the unguided argmax: lambda 0, constant, no Gumbel noise, tau 1. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every value of these settings. */
    public Builder toBuilder() {
        return builder().optGuidanceScale(guidanceScale).optGuidanceSchedule(guidanceSchedule).optGumbel(gumbel)
                .optTemperature(temperature);
    }

    /** Builds {@link RdpmSamplingSettings}; every value is optional. */
    public static final class Builder {

        private double guidanceScale = 0;
        private GuidanceSchedule guidanceSchedule = GuidanceSchedule.CONSTANT;
        private boolean gumbel;
        private double temperature = 1.0;

        private Builder() {
        }

        public Builder optGuidanceScale(double guidanceScale) {
            this.guidanceScale = guidanceScale;
            return this;
        }

        public Builder optGuidanceSchedule(GuidanceSchedule guidanceSchedule) {
            this.guidanceSchedule = guidanceSchedule;
            return this;
        }

        public Builder optGumbel(boolean gumbel) {
            this.gumbel = gumbel;
            return this;
        }

        public Builder optTemperature(double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** @throws lab.d2c.config.ConfigException naming each bad key */
        public RdpmSamplingSettings build() {
            return new RdpmSamplingSettings(guidanceScale, guidanceSchedule, gumbel, temperature);
        }
    }
}
