package lab.d2c.config.stage2;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import lab.d2c.config.ConfigEnum;

/** How stage two's classifier-free guidance scale evolves over the generation steps ({@code stage2.sample.guidance_schedule}). */
public enum GuidanceSchedule implements ConfigEnum {
    /** 1 + (w - 1) (N_tokens - masked) / N_tokens: grows with the share of revealed tokens (MAR, after Muse). */
    LINEAR("linear"),
    /** w at every step. */
    CONSTANT("constant");

    private final String key;

    GuidanceSchedule(String key) {
        this.key = key;
    }

    @JsonValue
    @Override
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }

    /** The schedule named {@code key} (any case); the message names the config key. */
    @JsonCreator
    public static GuidanceSchedule of(String key) {
        String k = key == null ? "" : key.toLowerCase(Locale.ROOT);
        for (GuidanceSchedule g : values()) {
            if (g.key.equals(k)) {
                return g;
            }
        }
        throw new IllegalArgumentException("stage2.sample.guidance_schedule must be linear or constant, got '"
                + key + "'");
    }
}
