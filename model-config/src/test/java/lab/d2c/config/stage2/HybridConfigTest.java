package lab.d2c.config.stage2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import lab.d2c.config.ConfigException;
import lab.d2c.config.ConfigViolation;
import lab.d2c.config.diffusion.NoiseScheduleKind;
import org.junit.jupiter.api.Test;

/** The builder keeps the presets' values, the factory reads the stage2 keys, and every broken rule names its key. */
class HybridConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void presetsKeepTheirValues() {
        // the positional values the presets had before the builder (issue 22)
        assertThat(HybridConfig.tiny(8, 4, 10, 512, FusionKind.Q_FORMER)).isEqualTo(new HybridConfig(8, 4, 10, 512,
                64, 2, 4, 64, 2, 4, 4.0, 16, FusionKind.Q_FORMER, 4, 1, 64, 0.7, 0.1, 0.1, 0.0, 0.0, 128, 2, 4,
                NoiseScheduleKind.COSINE, 100, DiscretePositions.LEARNED, true));
        assertThat(HybridConfig.b(16, 16, 1000, 16384, FusionKind.NONE)).isEqualTo(new HybridConfig(16, 16, 1000,
                16384, 768, 12, 12, 768, 12, 12, 4.0, 64, FusionKind.NONE, 16, 2, 768, 0.7, 0.1, 0.1, 0.1, 0.1, 1024, 6,
                4, NoiseScheduleKind.COSINE, 100, DiscretePositions.LEARNED, true));
        HybridConfig tiny = HybridConfig.tiny(8, 4, 10, 512, FusionKind.Q_FORMER);
        assertThat(tiny.toBuilder().build()).isEqualTo(tiny);
        assertThat(tiny.withFusion(FusionKind.DISCON, 2).fusion()).isEqualTo(FusionKind.DISCON);
        assertThat(tiny.withDropout(0, 0, 0, 0).classDropout()).isZero();
    }

    @Test
    void recordedConfigsKeepTheirJson() throws Exception {
        HybridConfig tiny = HybridConfig.tiny(8, 4, 10, 512, FusionKind.Q_FORMER_DECODER);
        String json = JSON.writeValueAsString(tiny);
        // the shape train-stage2 records and sample reads back: enum names, the schedule's key
        assertThat(json).contains("\"fusion\":\"Q_FORMER_DECODER\"", "\"noiseSchedule\":\"cosine\"",
                "\"discretePositions\":\"LEARNED\"").doesNotContain("tokens");
        assertThat(JSON.readValue(json, HybridConfig.class)).isEqualTo(tiny);
    }

    @Test
    void fromConfigReadsTheStage2Keys() throws Exception {
        HybridConfig tiny = HybridConfig.tiny(4, 4, 3, 16, FusionKind.CROSS_ATTENTION);
        ObjectNode config = (ObjectNode) JSON.readTree("""
                {"stage2": {"fusion": "cross-attention", "queries": 4, "qformer_depth": 1,
                 "discrete_positions": "learned", "encoder_width": 64, "encoder_depth": 2, "encoder_heads": 4,
                 "decoder_width": 64, "decoder_depth": 2, "decoder_heads": 4, "mlp_ratio": 4.0, "buffer_size": 16,
                 "mask_ratio_min": 0.7, "class_dropout": 0.1, "discrete_dropout": 0.1, "attention_dropout": 0.0,
                 "projection_dropout": 0.0, "head_width": 128, "head_depth": 2, "diffusion_batch_mul": 4,
                 "noise_schedule": "cosine", "sampling_steps": 100, "learn_sigma": true}}""");
        assertThat(HybridConfig.fromConfig(config, 4, 4, 3, 16, 64)).isEqualTo(tiny);

        config.with("stage2").put("encoder_heads", 3).put("queries", 20).put("fusion", "q-former");
        assertThatThrownBy(() -> HybridConfig.fromConfig(config, 4, 4, 3, 16, 64))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.violations())
                        .extracting(ConfigViolation::key).containsExactly("stage2.encoder_heads", "stage2.queries"));
        config.with("stage2").put("noise_schedule", "sin");
        assertThatThrownBy(() -> HybridConfig.fromConfig(config, 4, 4, 3, 16, 64))
                .hasMessageStartingWith("stage2.noise_schedule: noise schedule 'sin' is not one of linear, cosine");
        config.with("stage2").remove("learn_sigma");
        config.with("stage2").put("noise_schedule", "linear");
        assertThatThrownBy(() -> HybridConfig.fromConfig(config, 4, 4, 3, 16, 64))
                .hasMessage("config key stage2.learn_sigma is missing");
    }

    @Test
    void aRuleNamesItsKey() {
        assertThatThrownBy(() -> HybridConfig.tiny(4, 4, 3, 16, FusionKind.Q_FORMER).withFusion(FusionKind.Q_FORMER, 17))
                .hasMessage("stage2.queries must be in [1, buffer_size = 16] for q-former (the queries take buffer "
                        + "slots), got 17");
        assertThatThrownBy(() -> HybridConfig.tiny(4, 4, 3, 16, null)).hasMessage(
                "stage2.fusion is required: one of none, cross-attention, q-former, q-former-decoder, discon");
        assertThatThrownBy(() -> HybridConfig.tiny(4, 4, 3, 16, FusionKind.NONE).toBuilder().optEncoderHeads(0)
                .build()).hasMessage("stage2.encoder_heads must be >= 1, got 0");
    }

    @Test
    void samplingSettingsReadTheirSection() throws Exception {
        ObjectNode config = (ObjectNode) JSON.readTree("""
                {"stage2": {"sample": {"steps": 64, "guidance_scale": 4.0, "guidance_schedule": "LINEAR",
                 "temperature": 1.0, "x0_clip": 0}}}""");
        assertThat(HybridSamplingSettings.fromConfig(config)).isEqualTo(HybridSamplingSettings.defaults());
        config.with("stage2").with("sample").put("guidance_schedule", "cosine");
        assertThatThrownBy(() -> HybridSamplingSettings.fromConfig(config))
                .hasMessage("stage2.sample.guidance_schedule must be linear or constant, got 'cosine'");
        assertThat(HybridSamplingSettings.defaults().scaleAt(10, 5)).isEqualTo(2.5);
        assertThat(new HybridSamplingSettings(4, 4.0, GuidanceSchedule.CONSTANT, 1, 0).scaleAt(10, 5)).isEqualTo(4.0);
    }
}
