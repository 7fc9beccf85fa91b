package lab.d2c.config.rdpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import lab.d2c.config.ConfigEnum;
import lab.d2c.config.ConfigException;
import lab.d2c.config.ConfigViolation;
import org.junit.jupiter.api.Test;

/** RDPM's tokenizer record: the presets hold the paper's sizes, the factory reads the keys, rules name their keys. */
class RdpmTokenizerConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tiny preset's section, as a config tree spells it. */
    private static ObjectNode config() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"rdpm": {"tokenizer": {"base_width": 16, "width_multipliers": "1,2,4", "res_blocks": 1,
                  "z_channels": 32, "code_dim": 8, "codebook_size": 256, "steps": 10, "schedule": "pow", "phi": 0.75,
                  "gamma_weighting": true, "bias_conv": true, "commitment_beta": 0.25,
                  "perceptual_loss": false, "adversarial_loss": false}}}""");
    }

    @Test
    void presetsHoldThePapersSizes() {
        RdpmTokenizerConfig b = RdpmTokenizerConfig.b();
        // section 4.2: 256 -> 16x16 tokens, 4096 codes of dimension 32; Table 2: T = 10, weight and bias on;
        // Table 4 and Figure 5: pow with phi = 0.75
        assertThat(b.stride()).isEqualTo(16);
        assertThat(b.tokenGrid()).isEqualTo(16);
        assertThat(b.codebookSize()).isEqualTo(4096);
        assertThat(b.codeDim()).isEqualTo(32);
        assertThat(b.steps()).isEqualTo(10);
        assertThat(b.schedule()).isEqualTo(RdpmScheduleKind.POW);
        assertThat(b.phi()).isEqualTo(0.75);
        assertThat(b.gammaWeighting()).isTrue();
        assertThat(b.biasConv()).isTrue();
        assertThat(b.commitmentBeta()).isEqualTo(0.25);
        assertThat(RdpmTokenizerConfig.tiny()).isEqualTo(new RdpmTokenizerConfig(32, 1, 16, List.of(1, 2, 4), 1, 32, 8,
                256, 10, RdpmScheduleKind.POW, 0.75, true, true, 0.25, false, false));
        assertThat(RdpmTokenizerConfig.tiny().tokenGrid()).isEqualTo(8);
        assertThat(RdpmTokenizerConfig.tiny().withAblation(false, false).toBuilder().build())
                .isEqualTo(new RdpmTokenizerConfig(32, 1, 16, List.of(1, 2, 4), 1, 32, 8, 256, 10,
                        RdpmScheduleKind.POW, 0.75, false, false, 0.25, false, false));
    }

    @Test
    void fromConfigReadsTheKeysWithTheImageFromTheData() throws Exception {
        ObjectNode config = config();
        assertThat(RdpmTokenizerConfig.fromConfig(config, 32, 1)).isEqualTo(RdpmTokenizerConfig.tiny());
        ((ObjectNode) config.get("rdpm").get("tokenizer")).put("schedule", " SIN ").put("steps", 6);
        RdpmTokenizerConfig sin = RdpmTokenizerConfig.fromConfig(config, 64, 3);
        assertThat(sin.schedule()).isEqualTo(RdpmScheduleKind.SIN);
        assertThat(sin.steps()).isEqualTo(6);
        assertThat(sin.tokenGrid()).isEqualTo(16);
        assertThat(JSON.treeToValue(JSON.valueToTree(sin), RdpmTokenizerConfig.class)).isEqualTo(sin);
        assertThat(JSON.valueToTree(sin).get("schedule").asText()).isEqualTo("sin");
    }

    @Test
    void badValuesNameTheirKeys() throws Exception {
        ObjectNode config = config();
        ((ObjectNode) config.get("rdpm").get("tokenizer")).put("codebook_size", 1).put("steps", 0).put("phi", 1.0)
                .put("commitment_beta", -1).put("perceptual_loss", true).put("adversarial_loss", true)
                .put("code_dim", 0);
        assertThatThrownBy(() -> RdpmTokenizerConfig.fromConfig(config, 30, 2))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.violations())
                        .extracting(ConfigViolation::key).containsExactly("rdpm.tokenizer.image_channels",
                                "rdpm.tokenizer.image_size", "rdpm.tokenizer.code_dim", "rdpm.tokenizer.codebook_size",
                                "rdpm.tokenizer.steps", "rdpm.tokenizer.phi", "rdpm.tokenizer.commitment_beta",
                                "rdpm.tokenizer.perceptual_loss", "rdpm.tokenizer.adversarial_loss"))
                .hasMessageContaining("rdpm.tokenizer.phi must be in (0, 1), got 1.0")
                .hasMessageContaining("pretrained");
        ObjectNode schedule = config();
        ((ObjectNode) schedule.get("rdpm").get("tokenizer")).put("schedule", "cosine");
        assertThatThrownBy(() -> RdpmTokenizerConfig.fromConfig(schedule, 32, 1))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.violations())
                        .extracting(ConfigViolation::key).containsExactly("rdpm.tokenizer.schedule"))
                .hasMessageContaining("'cosine' is not one of sin, linear, pow");
        ObjectNode missing = config();
        ((ObjectNode) missing.get("rdpm").get("tokenizer")).remove("bias_conv");
        assertThatThrownBy(() -> RdpmTokenizerConfig.fromConfig(missing, 32, 1))
                .hasMessageContaining("rdpm.tokenizer.bias_conv");
        assertThatThrownBy(() -> RdpmTokenizerConfig.tiny().withSteps(10, null, 0.75))
                .hasMessageContaining("rdpm.tokenizer.schedule is required: one of sin, linear, pow");
        assertThatThrownBy(() -> RdpmTokenizerConfig.tiny().withSteps(10, RdpmScheduleKind.POW, 0))
                .hasMessageContaining("rdpm.tokenizer.phi");
        assertThatThrownBy(() -> RdpmTokenizerConfig.tiny().withWidths(16, List.of(1, 0), 1, 32))
                .hasMessageContaining("rdpm.tokenizer.width_multipliers[1]");
    }

    @Test
    void theScheduleKindsAreThePapersThree() {
        assertThat(ConfigEnum.keys(RdpmScheduleKind.class)).containsExactly("sin", "linear", "pow");
        assertThat(RdpmScheduleKind.of("Pow")).isEqualTo(RdpmScheduleKind.POW);
        assertThatThrownBy(() -> RdpmScheduleKind.of("cos")).hasMessageContaining("rdpm.tokenizer.schedule 'cos'");
    }
}
