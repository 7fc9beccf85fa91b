package lab.d2c.workers.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import lab.d2c.config.ConfigEnum;
import lab.d2c.config.diffusion.NoiseScheduleKind;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.GuidanceSchedule;
import lab.d2c.model.eval.TorchScriptInception;
import lab.d2c.model.tokenizer.KlLossReduction;
import lab.d2c.model.train.LrSchedule;
import lab.d2c.workflows.spec.ConfigField;
import lab.d2c.workflows.spec.ConfigSchema;
import org.junit.jupiter.api.Test;

/**
 * Every enumeration the spec schema allows is exactly the set of constants of the model enum that
 * reads it: a value one side gains and the other lacks fails here (the schema would accept a config
 * the node refuses, or refuse one it could run). The enums in model-config are the schema's source
 * already; model-lib's (DJL side, which workflows cannot see) are compared here, where both are visible.
 */
class ConfigEnumsTest {

    private static List<String> allowed(String key) {
        ConfigField field = ConfigSchema.standard().field(key).orElseThrow();
        return field.allowed();
    }

    /** The schema's values, parsed by the enum, are all its constants, each once. */
    private static <E extends Enum<E>> void sameSet(String key, Class<E> type, Function<String, E> parse,
            Function<E, String> spelling) {
        List<String> values = allowed(key);
        List<E> parsed = values.stream().map(parse).toList();
        assertThat(parsed).as(key + " parsed by " + type.getSimpleName()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(type.getEnumConstants());
        assertThat(values).as(key + " spelled as " + type.getSimpleName() + " spells them")
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(type.getEnumConstants()).map(spelling).toList());
    }

    @Test
    void modelConfigEnumsAreTheSchemasSource() {
        assertThat(allowed("stage2.fusion")).isEqualTo(ConfigEnum.keys(FusionKind.class));
        assertThat(allowed("stage2.discrete_positions")).isEqualTo(ConfigEnum.keys(DiscretePositions.class));
        assertThat(allowed("stage2.noise_schedule")).isEqualTo(ConfigEnum.keys(NoiseScheduleKind.class));
        assertThat(allowed("stage2.sample.guidance_schedule")).isEqualTo(ConfigEnum.keys(GuidanceSchedule.class));
    }

    @Test
    void modelLibEnumsMatchTheSchema() {
        sameSet("vae.loss_reduction", KlLossReduction.class, KlLossReduction::parse, KlLossReduction::configName);
        for (String section : List.of("vq", "vae", "stage1", "stage2", "classifier")) {
            sameSet(section + ".train.lr_schedule", LrSchedule.class, LrSchedule::parse, LrSchedule::configName);
        }
        List<String> ranges = allowed("eval.inception_input_range");
        assertThat(ranges.stream().map(TorchScriptInception.InputRange::parse).toList())
                .as("eval.inception_input_range parsed by InputRange").doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(TorchScriptInception.InputRange.values());
    }
}
