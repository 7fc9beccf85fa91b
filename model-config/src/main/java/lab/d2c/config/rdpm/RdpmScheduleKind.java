package lab.d2c.config.rdpm;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import lab.d2c.config.ConfigEnum;

/**
 * How much of the latent RDPM's tokenizer keeps at each of its T quantization steps
 * ({@code rdpm.tokenizer.schedule}): the three variance schedules of RDPM (Wu, Hu, Wei,
 * arXiv:2412.18390, section 4.3, Figure 5 and Table 4), each rising from near 0 to alpha_T = 1, with
 * beta_t = sqrt(1 - alpha_t^2) the share of noise (Eq. 2). model-lib's {@code RdpmSchedule} computes them.
 */
public enum RdpmScheduleKind implements ConfigEnum {
    /** alpha_t = sin(pi/2 * t/T). */
    SIN("sin"),
    /** alpha_t = t/T. */
    LINEAR("linear"),
    /** alpha_t = phi^(T - t), phi in (0, 1); the paper adopts it with phi = 0.75 (Table 4, Figure 5). */
    POW("pow");

    private final String key;

    RdpmScheduleKind(String key) {
        this.key = key;
    }

    /** The name configs and recorded model configs use ({@code "schedule": "pow"}). */
    @JsonValue
    @Override
    public String key() {
        return key;
    }

    @Override
    public String toString() {
        return key;
    }

    /** The schedule named {@code key} (trimmed, any case); the message names the config key and the kinds. */
    @JsonCreator
    public static RdpmScheduleKind of(String key) {
        return ConfigEnum.parse(RdpmScheduleKind.class, key, "rdpm.tokenizer.schedule");
    }
}
