package lab.d2c.workflows.spec;

import static lab.d2c.workflows.spec.Specs.errorsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.IntNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SweepExpansionTest {

    /** 2 image sizes x 3 train sizes x 2 seeds = 12 arms. */
    private static final String GRID = """
            name: grid
            preset: tiny
            config:
              data.dataset: shapes
            parameters:
              data.image_size:
                values: [16, 32]
              data.train_size:
                values: [100, 200, 300]
              data.test_size:
                value: 50
            seeds: [7, 8]
            """;

    @Test
    void countIsTheProductOfValuesAndSeeds() {
        SweepSpec spec = SweepSpecParser.parse(GRID);
        assertThat(spec.armCount()).isEqualTo(12);
        assertThat(spec.expand(12)).hasSize(12);
    }

    @Test
    void seedsVaryFastestThenTheLastParameter() {
        List<Arm> arms = SweepSpecParser.parse(GRID).expand(SweepSpecParser.DEFAULT_MAX_ARMS);
        assertThat(arms).extracting(Arm::index).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
        assertThat(arms).extracting(Arm::seed).containsExactly(7L, 8L, 7L, 8L, 7L, 8L, 7L, 8L, 7L, 8L, 7L, 8L);
        assertThat(arms).extracting(a -> a.params().get("data.train_size").asInt())
                .containsExactly(100, 100, 200, 200, 300, 300, 100, 100, 200, 200, 300, 300);
        assertThat(arms).extracting(a -> a.params().get("data.image_size").asInt())
                .containsExactly(16, 16, 16, 16, 16, 16, 32, 32, 32, 32, 32, 32);
    }

    @Test
    void armNamesAreReadableUniqueAndDeterministic() {
        List<Arm> arms = SweepSpecParser.parse(GRID).expand(100);
        assertThat(arms.get(0).name()).isEqualTo("grid/data.image_size=16/data.train_size=100/seed=7");
        assertThat(arms.get(11).name()).isEqualTo("grid/data.image_size=32/data.train_size=300/seed=8");
        assertThat(arms).extracting(Arm::name).doesNotHaveDuplicates();
        assertThat(SweepSpecParser.parse(GRID).expand(100)).isEqualTo(arms);
    }

    @Test
    void theExampleNameFormat() {
        Arm first = SweepSpecParser.parse(Specs.VALID).expand(10).get(0);
        assertThat(first.name()).isEqualTo("demo-quick/data.train_size=1000/seed=0");
    }

    @Test
    void paramsHoldTheGridPointWithoutTheSeed() {
        Arm arm = SweepSpecParser.parse(GRID).expand(100).get(3);
        assertThat(names(arm.params())).containsExactly("data.image_size", "data.train_size", "data.test_size");
        assertThat(arm.params().get("data.test_size").asInt()).isEqualTo(50);
    }

    @Test
    void everyArmConfigIsCompleteWithItsGridPointAndSeed() {
        ConfigSchema schema = ConfigSchema.standard();
        for (Arm arm : SweepSpecParser.parse(GRID).expand(100)) {
            ObjectNode config = arm.config();
            for (ConfigField field : schema.fields()) {
                JsonNode value = config.at("/" + field.path().replace('.', '/'));
                assertThat(value.isMissingNode()).as(arm.name() + " " + field.path()).isFalse();
                assertThat(field.check(value, field.path(), new java.util.ArrayList<>())).as(field.path()).isNotNull();
            }
            arm.params().properties().forEach(p ->
                    assertThat(config.at("/" + p.getKey().replace('.', '/'))).isEqualTo(p.getValue()));
            assertThat(config.get("seed").asLong()).isEqualTo(arm.seed());
            assertThat(config.at("/data/dataset").asText()).isEqualTo("shapes");
            assertThat(config.at("/data/channels").asInt()).isEqualTo(1);
        }
    }

    @Test
    void armConfigsDifferOnlyInTheirGridPointAndSeed() {
        List<Arm> arms = SweepSpecParser.parse(GRID).expand(100);
        Set<JsonNode> configs = new HashSet<>();
        arms.forEach(a -> configs.add(a.config()));
        assertThat(configs).hasSize(12);
        ObjectNode a = arms.get(0).config();
        ObjectNode b = arms.get(1).config();
        b.put("seed", a.get("seed").asInt());
        assertThat(b).isEqualTo(a);
    }

    @Test
    void armsAreImmutable() {
        Arm arm = SweepSpecParser.parse(GRID).expand(100).get(0);
        arm.config().put("seed", 99);
        arm.params().put("data.image_size", 99);
        assertThat(arm.config().get("seed").asInt()).isEqualTo(7);
        assertThat(arm.params().get("data.image_size").asInt()).isEqualTo(16);
    }

    @Test
    void aGridOverTheCapIsRefused() {
        List<FieldError> errors = errorsOf(GRID, 11);
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path()).isEqualTo("parameters");
        assertThat(errors.get(0).reason())
                .isEqualTo("the grid has 12 arms (2 x 3 x 1 values x 2 seeds); the cap is 11 arms");
        assertThatThrownBy(() -> SweepSpecParser.parse(GRID).expand(11)).isInstanceOf(SpecException.class)
                .hasMessageContaining("12 arms");
        assertThat(SweepSpecParser.parse(GRID, 12).expand(12)).hasSize(12);
    }

    @Test
    void theDefaultCapIs256() {
        StringBuilder spec = new StringBuilder("name: huge\npreset: tiny\nparameters:\n");
        for (String key : List.of("data.train_size", "data.test_size", "data.seed")) {
            spec.append("  ").append(key).append(":\n    values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n");
        }
        assertThat(SweepSpecParser.DEFAULT_MAX_ARMS).isEqualTo(256);
        assertThat(errorsOf(spec.toString()).get(0).reason()).contains("1000 arms").contains("256");
        assertThat(SweepSpecParser.parse(spec.toString()).armCount()).isEqualTo(1000);
    }

    @Test
    void hugeGridsAreCountedWithoutOverflow() {
        StringBuilder spec = new StringBuilder("name: huge\npreset: tiny\nparameters:\n");
        StringBuilder values = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            values.append(i).append(i < 999 ? ", " : "]");
        }
        for (String key : List.of("data.train_size", "data.test_size", "data.seed", "data.shard_size")) {
            spec.append("  ").append(key).append(":\n    values: ").append(key.equals("data.shard_size")
                    ? values.toString().replace("[0, ", "[") : values).append('\n');
        }
        assertThatThrownBy(() -> SweepSpecParser.parse(spec.toString())).isInstanceOf(SpecException.class)
                .hasMessageContaining("999000000000 arms (1000 x 1000 x 1000 x 999 values x 1 seed)");

        SweepSpec direct = SweepSpecParser.parse("name: ok\npreset: tiny\n");
        LinkedHashMap<String, List<JsonNode>> grid = new LinkedHashMap<>();
        List<JsonNode> thousand = IntStream.range(0, 1000).<JsonNode>mapToObj(IntNode::valueOf).toList();
        grid.put("data.train_size", thousand);
        grid.put("data.test_size", thousand);
        grid.put("data.seed", thousand);
        SweepSpec huge = new SweepSpec("ok", "", "tiny", "grid", direct.config(), grid, List.of(0L, 1L, 2L));
        assertThat(huge.armCount()).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> huge.expand(256)).isInstanceOf(SpecException.class)
                .hasMessageContaining("3000000000 arms");
    }

    private static List<String> names(ObjectNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
