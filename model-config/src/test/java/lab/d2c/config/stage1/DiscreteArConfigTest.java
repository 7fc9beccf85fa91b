package lab.d2c.config.stage1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lab.d2c.config.ConfigException;
import lab.d2c.config.ConfigViolation;
import org.junit.jupiter.api.Test;

/** Stage one's records: the presets keep their values, the factories read the stage1 keys, rules name their keys. */
class DiscreteArConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void presetsKeepTheirValues() {
        assertThat(DiscreteArConfig.tiny(512, 8, 10))
                .isEqualTo(new DiscreteArConfig(512, 8, 10, 128, 4, 4, 1, 32, 1e-5, 10000, 0.1, 0.1, 0.1, 0.1));
        assertThat(DiscreteArConfig.b(16384, 16, 1000))
                .isEqualTo(new DiscreteArConfig(16384, 16, 1000, 768, 12, 12, 1, 256, 1e-5, 10000, 0.1, 0.1, 0.1, 0.1));
        DiscreteArConfig tiny = DiscreteArConfig.tiny(512, 8, 10);
        assertThat(tiny.withSizes(64, 2, 2)).isEqualTo(tiny.toBuilder().optWidth(64).optDepth(2).optHeads(2).build());
    }

    @Test
    void fromConfigReadsTheStage1Keys() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree("""
                {"stage1": {"width": 128, "depth": 4, "heads": 4, "class_tokens": 1, "ffn_multiple_of": 32,
                 "norm_eps": 1e-5, "rope_base": 10000, "token_dropout": 0.1, "resid_dropout": 0.1, "ffn_dropout": 0.1,
                 "class_dropout": 0.1, "sample": {"temperature": 0.99, "top_k": 0, "top_p": 1.0, "guidance_scale": 1.0,
                 "guidance_tokens": 0}}}""");
        assertThat(DiscreteArConfig.fromConfig(config, 512, 8, 10)).isEqualTo(DiscreteArConfig.tiny(512, 8, 10));
        assertThat(SamplingSettings.fromConfig(config)).isEqualTo(SamplingSettings.plain().withTemperature(0.99));

        config.with("stage1").put("width", 40).put("resid_dropout", 1.0);
        assertThatThrownBy(() -> DiscreteArConfig.fromConfig(config, 512, 8, 10))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.violations())
                        .extracting(ConfigViolation::key).containsExactly("stage1.heads", "stage1.resid_dropout"))
                .hasMessageContaining("stage1.width 40 / stage1.heads 4 must be a whole multiple of 4");
        config.with("stage1").with("sample").put("top_k", "many");
        assertThatThrownBy(() -> SamplingSettings.fromConfig(config))
                .hasMessage("stage1.sample.top_k: expected an integer, got \"many\"");
    }
}
