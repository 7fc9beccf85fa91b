package lab.d2c.config.diffusion;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import lab.d2c.config.ConfigEnum;

/**
 * The noise schedules a diffusion head offers (the {@code stage2.noise_schedule} key): the two of
 * MAR's {@code create_diffusion}. RDPM's sin and pow(phi) schedules are not among them: they set how
 * much noise RDPM's recurrent tokenizer mixes in over its 10 quantization steps (RDPM,
 * arXiv:2412.18390, Table 4), not a 1000-step DDPM schedule. model-lib's {@code NoiseSchedule}
 * computes each one's betas.
 */
public enum NoiseScheduleKind implements ConfigEnum {
    /** DDPM's betas from 1e-4 to 0.02, scaled by 1000 / T. */
    LINEAR("linear"),
    /** Nichol and Dhariwal's alphaBar(u) = cos^2((u + 0.008) / 1.008 * pi / 2), MAR's default. */
    COSINE("cosine");

    /** MAR's number of training steps T, the most a sampler can take. */
    public static final int TRAINING_STEPS = 1000;

    private final String key;

    NoiseScheduleKind(String key) {
        this.key = key;
    }

    /** The name configs and recorded model configs use ({@code "noiseSchedule": "cosine"}). */
    @JsonValue
    @Override
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }

    /**
     * The schedule named {@code spec} (trimmed, any case).
     *
     * @throws IllegalArgumentException naming the spec and the kinds there are
     */
    @JsonCreator
    public static NoiseScheduleKind of(String spec) {
        NoiseScheduleKind kind = ConfigEnum.find(NoiseScheduleKind.class, spec);
        if (kind == null) {
            throw new IllegalArgumentException("noise schedule '" + spec + "' is not one of "
                    + ConfigEnum.joinedKeys(NoiseScheduleKind.class)
                    + " (RDPM's sin and pow schedules belong to its tokenizer, not to a diffusion head)");
        }
        return kind;
    }
}
