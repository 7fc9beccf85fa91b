package lab.d2c.config.rdpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lab.d2c.config.ConfigException;
import lab.d2c.config.ConfigViolation;
import lab.d2c.config.stage2.GuidanceSchedule;
import org.junit.jupiter.api.Test;

/** The predictor's and the sampler's records: presets, the rdpm keys, every broken rule naming its key, lambda_t. */
class RdpmConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void presetsFollowTable1() {
        RdpmPredictorConfig b = RdpmPredictorConfig.b(4096, 32, 16, 10, 1000);
        // Table 1, depth 12: hidden size depth x 64 = 768, heads = depth; class dropout 10% (section 4.2)
        assertThat(b.width()).isEqualTo(12 * 64);
        assertThat(b.heads()).isEqualTo(b.depth()).isEqualTo(12);
        assertThat(b.classDropout()).isEqualTo(0.1);
        assertThat(b.tokens()).isEqualTo(256);
        assertThat(b.nullClass()).isEqualTo(1000);
        RdpmPredictorConfig tiny = RdpmPredictorConfig.tiny(64, 4, 4, 10, 3);
        assertThat(tiny).isEqualTo(new RdpmPredictorConfig(64, 4, 4, 10, 3, 64, 2, 4, 32, 1e-5, 0.1));
        assertThat(tiny.toBuilder().build()).isEqualTo(tiny);
    }

    @Test
    void fromConfigReadsThePredictorKeys() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree("""
                {"rdpm": {"predictor": {"width": 64, "depth": 2, "heads": 4, "ffn_multiple_of": 32,
                 "norm_eps": 1e-5, "class_dropout": 0.1}}}""");
        assertThat(RdpmPredictorConfig.fromConfig(config, 64, 4, 4, 10, 3))
                .isEqualTo(RdpmPredictorConfig.tiny(64, 4, 4, 10, 3));
        config.with("rdpm").with("predictor").put("heads", 3).put("class_dropout", 1.0);
        assertThatThrownBy(() -> RdpmPredictorConfig.fromConfig(config, 64, 4, 4, 10, 3))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.violations())
                        .extracting(ConfigViolation::key)
                        .containsExactly("rdpm.predictor.heads", "rdpm.predictor.class_dropout"));
        config.with("rdpm").with("predictor").remove("depth");
        assertThatThrownBy(() -> RdpmPredictorConfig.fromConfig(config, 64, 4, 4, 10, 3))
                .hasMessage("config key rdpm.predictor.depth is missing");
    }

    @Test
    void aPredictorRuleNamesItsKey() {
        assertThatThrownBy(() -> RdpmPredictorConfig.tiny(1, 4, 4, 10, 3))
                .hasMessage("rdpm.predictor.vocab_size must be >= 2, got 1");
        assertThatThrownBy(() -> RdpmPredictorConfig.tiny(64, 4, 4, 0, 3))
                .hasMessage("rdpm.predictor.steps must be >= 1, got 0");
        assertThatThrownBy(() -> RdpmPredictorConfig.tiny(64, 4, 4, 10, 3).toBuilder().optWidth(66).build())
                .hasMessage("rdpm.predictor.width 66 is not a multiple of rdpm.predictor.heads 4");
        assertThatThrownBy(() -> RdpmPredictorConfig.tiny(64, 4, 4, 10, 3).toBuilder().optNormEps(0).build())
                .hasMessage("rdpm.predictor.norm_eps must be a finite number > 0, got 0.0");
    }

    @Test
    void samplingSettingsReadTheirSection() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree("""
                {"rdpm": {"sample": {"guidance_scale": 2.5, "guidance_schedule": "linear", "gumbel": true,
                 "temperature": 4.5}}}""");
        RdpmSamplingSettings s = RdpmSamplingSettings.fromConfig(config);
        assertThat(s).isEqualTo(new RdpmSamplingSettings(2.5, GuidanceSchedule.LINEAR, true, 4.5));
        assertThat(s.toBuilder().build()).isEqualTo(s);
        assertThat(RdpmSamplingSettings.builder().build())
                .isEqualTo(new RdpmSamplingSettings(0, GuidanceSchedule.CONSTANT, false, 1.0));

        config.with("rdpm").with("sample").put("guidance_schedule", "cosine");
        assertThatThrownBy(() -> RdpmSamplingSettings.fromConfig(config))
                .hasMessage("rdpm.sample.guidance_schedule 'cosine' is not one of linear, constant");
        config.with("rdpm").with("sample").put("guidance_schedule", "constant");
        config.with("rdpm").with("sample").put("guidance_scale", -1).put("temperature", 0);
        assertThatThrownBy(() -> RdpmSamplingSettings.fromConfig(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.violations())
                        .extracting(ConfigViolation::key)
                        .containsExactly("rdpm.sample.guidance_scale", "rdpm.sample.temperature"));
        assertThatThrownBy(() -> RdpmSamplingSettings.builder().optGuidanceSchedule(null).build())
                .hasMessage("rdpm.sample.guidance_schedule is required: one of linear, constant");
    }

    @Test
    void theLinearGuidanceRampIsLambdaTimesTOverT() {
        int steps = 10;
        double lambda = 3.0;
        RdpmSamplingSettings linear = RdpmSamplingSettings.builder().optGuidanceScale(lambda)
                .optGuidanceSchedule(GuidanceSchedule.LINEAR).build();
        RdpmSamplingSettings constant = linear.toBuilder().optGuidanceSchedule(GuidanceSchedule.CONSTANT).build();
        for (int t = 1; t <= steps; t++) {
            assertThat(linear.scaleAt(t, steps)).as("step %d", t).isEqualTo(lambda * t / steps);
            assertThat(constant.scaleAt(t, steps)).isEqualTo(lambda);
        }
        // increasing by lambda / T per step, lambda / T at the first step, lambda at the last
        assertThat(linear.scaleAt(1, steps)).isEqualTo(0.3);
        assertThat(linear.scaleAt(steps, steps)).isEqualTo(lambda);
        assertThat(linear.scaleAt(6, steps) - linear.scaleAt(5, steps)).isCloseTo(0.3, org.assertj.core.data.Offset.offset(1e-12));
        assertThatThrownBy(() -> linear.scaleAt(0, steps)).isInstanceOf(IllegalArgumentException.class);
    }
}
