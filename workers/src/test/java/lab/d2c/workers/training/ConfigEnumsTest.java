package lab.d2c.workers.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import lab.d2c.config.ConfigEnum;
import lab.d2c.config.diffusion.NoiseScheduleKind;
import lab.d2c.config.rdpm.RdpmScheduleKind;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.GuidanceSchedule;
import lab.d2c.config.stage2.Stage2Condition;
import lab.d2c.config.tokenizer.KlLossReduction;
import lab.d2c.model.eval.TorchScriptInception;
import lab.d2c.model.train.LrSchedule;
import lab.d2c.workflows.spec.ConfigField;
import lab.d2c.workflows.spec.ConfigSchema;
import lab.d2c.workflows.spec.FieldType;
import org.junit.jupiter.api.Test;

/**
 * Every enumeration the spec schema allows is exactly the set of constants of the model enum that
 * reads it: a value one side gains and the other lacks fails here (the schema would accept a config
 * the node refuses, or refuse one it could run). The enums in model-config are the schema's source
 * already; model-lib's (DJL side, which workflows cannot see) are compared here, where both are visible.
 * A new enumeration key fails {@link #everyEnumerationIsCompared} until it is compared here or listed
 * as one no model enum reads.
 */
class ConfigEnumsTest {

    /** model-config's enums, the schema's source: key to enum. */
    private static final Map<String, Class<? extends Enum<?>>> MODEL_CONFIG = modelConfig();

    /**
     * Enumerations no model enum reads: the executors compare the text themselves (the dataset to
     * prepare, the metrics' extractor and reference split, which images are scored), or the planner does
     * (the arm's generator family).
     */
    private static final Set<String> WITHOUT_MODEL_ENUM = Set.of("data.dataset", "eval.extractor",
            "eval.reference_split", "eval.images", "generator");

    private static final List<String> TRAINED_SECTIONS = List.of("vq", "vae", "stage1", "stage2", "classifier",
            "rdpm.tokenizer", "rdpm.predictor");

    private static Map<String, Class<? extends Enum<?>>> modelConfig() {
        Map<String, Class<? extends Enum<?>>> m = new LinkedHashMap<>();
        m.put("vae.loss_reduction", KlLossReduction.class);
        m.put("stage2.fusion", FusionKind.class);
        m.put("stage2.discrete_positions", DiscretePositions.class);
        m.put("stage2.condition", Stage2Condition.class);
        m.put("stage2.noise_schedule", NoiseScheduleKind.class);
        m.put("stage2.sample.guidance_schedule", GuidanceSchedule.class);
        m.put("rdpm.tokenizer.schedule", RdpmScheduleKind.class);
        m.put("rdpm.sample.guidance_schedule", GuidanceSchedule.class);
        return m;
    }

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
        MODEL_CONFIG.forEach((key, type) -> assertThat(allowed(key)).as(key + " from " + type.getSimpleName())
                .isEqualTo(Arrays.stream(type.getEnumConstants()).map(e -> ((ConfigEnum) e).key()).toList()));
        assertThat(allowed("stage2.fusion")).isEqualTo(ConfigEnum.keys(FusionKind.class));
        assertThat(allowed("vae.loss_reduction")).isEqualTo(ConfigEnum.keys(KlLossReduction.class));
        assertThat(allowed("stage2.condition")).isEqualTo(ConfigEnum.keys(Stage2Condition.class));
        sameSet("vae.loss_reduction", KlLossReduction.class, KlLossReduction::parse, KlLossReduction::key);
    }

    @Test
    void modelLibEnumsMatchTheSchema() {
        for (String section : TRAINED_SECTIONS) {
            sameSet(section + ".train.lr_schedule", LrSchedule.class, LrSchedule::parse, LrSchedule::configName);
        }
        List<String> ranges = allowed("eval.inception_input_range");
        assertThat(ranges.stream().map(TorchScriptInception.InputRange::parse).toList())
                .as("eval.inception_input_range parsed by InputRange").doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(TorchScriptInception.InputRange.values());
    }

    /** Each enumeration key of the schema is compared above or has no model enum; none is forgotten. */
    @Test
    void everyEnumerationIsCompared() {
        List<String> enumerations = ConfigSchema.standard().fields().stream()
                .filter(f -> f.type() == FieldType.ENUM).map(ConfigField::path).toList();
        List<String> compared = new java.util.ArrayList<>(MODEL_CONFIG.keySet());
        TRAINED_SECTIONS.forEach(s -> compared.add(s + ".train.lr_schedule"));
        compared.add("eval.inception_input_range");
        compared.addAll(WITHOUT_MODEL_ENUM);
        assertThat(enumerations).as("the schema's enumerations, each compared with its model enum or listed "
                + "as having none").containsExactlyInAnyOrderElementsOf(compared);
    }
}
