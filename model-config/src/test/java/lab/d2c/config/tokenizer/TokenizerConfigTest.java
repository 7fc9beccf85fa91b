package lab.d2c.config.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import lab.d2c.config.ConfigException;
import lab.d2c.config.ConfigViolation;
import org.junit.jupiter.api.Test;

/**
 * The tokenizers' records: the presets keep their values and the JSON a training node records for them
 * (downstream nodes read it back), the factories read the vq / vae keys, rules name their keys.
 */
class TokenizerConfigTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tiny preset's sections, as the tiny preset's config tree spells them. */
    private static ObjectNode config() throws Exception {
        return (ObjectNode) JSON.readTree("""
                {"vq": {"base_width": 16, "width_multipliers": "1,2,4", "res_blocks": 1, "z_channels": 32,
                  "codebook_size": 512, "code_dim": 8, "commitment_beta": 0.25, "usage_window": 8192,
                  "dead_code_min_count": 1, "reinit_interval": 200, "perceptual_loss": false, "adversarial_loss": false},
                 "vae": {"base_width": 16, "width_multipliers": "1, 2, 4", "res_blocks": 1, "latent_channels": 4,
                  "kl_weight": 1e-6, "loss_reduction": "ldm", "perceptual_loss": false, "adversarial_loss": false}}""");
    }

    @Test
    void presetsKeepTheirValues() {
        assertThat(VqConfig.tiny()).isEqualTo(
                new VqConfig(32, 1, 16, List.of(1, 2, 4), 1, 32, 512, 8, 0.25, 8192, 1, 200, false, false));
        assertThat(VqConfig.b()).isEqualTo(
                new VqConfig(256, 3, 128, List.of(1, 1, 2, 2, 4), 2, 256, 16384, 8, 0.25, 65536, 1, 2000, false, false));
        assertThat(KlVaeConfig.tiny()).isEqualTo(
                new KlVaeConfig(32, 1, 16, List.of(1, 2, 4), 1, 4, 1e-6, KlLossReduction.LDM, false, false));
        assertThat(KlVaeConfig.b()).isEqualTo(
                new KlVaeConfig(256, 3, 128, List.of(1, 1, 2, 2, 4), 2, 16, 1e-6, KlLossReduction.LDM, false, false));
        assertThat(VqConfig.tiny().withCodebook(64, 4)).isEqualTo(new VqConfig(32, 1, 16, List.of(1, 2, 4), 1, 32, 64,
                4, 0.25, 8192, 1, 200, false, false));
        assertThat(KlVaeConfig.tiny().withLossReduction(KlLossReduction.MEAN).withLatent(8, 1e-4)).isEqualTo(
                new KlVaeConfig(32, 1, 16, List.of(1, 2, 4), 1, 8, 1e-4, KlLossReduction.MEAN, false, false));
    }

    /** Pinned to the JSON these records serialized to in model-lib: node results keep their bytes. */
    @Test
    void theRecordedJsonIsUnchanged() throws Exception {
        assertThat(JSON.writeValueAsString(VqConfig.tiny())).isEqualTo("{\"imageSize\":32,\"imageChannels\":1,"
                + "\"baseWidth\":16,\"widthMultipliers\":[1,2,4],\"resBlocks\":1,\"zChannels\":32,\"codebookSize\":512,"
                + "\"codeDim\":8,\"commitmentBeta\":0.25,\"usageWindow\":8192,\"deadCodeMinCount\":1,"
                + "\"reinitInterval\":200,\"perceptualLoss\":false,\"adversarialLoss\":false}");
        assertThat(JSON.writeValueAsString(KlVaeConfig.tiny().withLossReduction(KlLossReduction.MEAN)))
                .isEqualTo("{\"imageSize\":32,\"imageChannels\":1,\"baseWidth\":16,\"widthMultipliers\":[1,2,4],"
                        + "\"resBlocks\":1,\"latentChannels\":4,\"klWeight\":1.0E-6,\"lossReduction\":\"MEAN\","
                        + "\"perceptualLoss\":false,\"adversarialLoss\":false}");
        for (Object c : List.of(VqConfig.tiny(), VqConfig.b(), KlVaeConfig.tiny(), KlVaeConfig.b())) {
            assertThat(JSON.treeToValue(JSON.valueToTree(c), c.getClass())).isEqualTo(c);
        }
    }

    @Test
    void fromConfigReadsTheKeysWithTheImageFromTheData() throws Exception {
        ObjectNode config = config();
        assertThat(VqConfig.fromConfig(config, 32, 1)).isEqualTo(VqConfig.tiny());
        assertThat(KlVaeConfig.fromConfig(config, 32, 1)).isEqualTo(KlVaeConfig.tiny());
        config.with("vae").put("loss_reduction", "mean");
        assertThat(KlVaeConfig.fromConfig(config, 32, 3).lossReduction()).isEqualTo(KlLossReduction.MEAN);
    }

    @Test
    void badValuesNameTheirKeys() throws Exception {
        ObjectNode config = config();
        config.with("vq").put("codebook_size", 1).put("perceptual_loss", true).put("reinit_interval", -1);
        assertThatThrownBy(() -> VqConfig.fromConfig(config, 30, 2))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.violations())
                        .extracting(ConfigViolation::key).containsExactly("vq.image_channels", "vq.image_size",
                                "vq.codebook_size", "vq.reinit_interval", "vq.perceptual_loss"))
                .hasMessageContaining("vq.image_size must be a positive multiple of the stride 4")
                .hasMessageContaining("vq.perceptual_loss needs pretrained networks");

        config.with("vae").put("width_multipliers", "1,two");
        assertThatThrownBy(() -> KlVaeConfig.fromConfig(config, 32, 1)).hasMessage(
                "vae.width_multipliers: expected comma-separated positive integers like '1,2,4', got '1,two'");
        config.with("vae").put("width_multipliers", "1,2,4").put("loss_reduction", "sum");
        assertThatThrownBy(() -> KlVaeConfig.fromConfig(config, 32, 1))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.violations())
                        .extracting(ConfigViolation::key).containsExactly("vae.loss_reduction"))
                .hasMessage("vae.loss_reduction: must be ldm or mean, got 'sum'");
        config.with("vae").remove("kl_weight");
        config.with("vae").put("loss_reduction", "ldm");
        assertThatThrownBy(() -> KlVaeConfig.fromConfig(config, 32, 1)).hasMessage("config key vae.kl_weight is missing");
        assertThatThrownBy(() -> KlVaeConfig.tiny().withWidths(16, List.of(1, 0), 1))
                .hasMessageContaining("vae.width_multipliers[1] must be >= 1, got 0");
        assertThatThrownBy(() -> KlVaeConfig.tiny().withLossReduction(null))
                .hasMessage("vae.loss_reduction is required: one of ldm, mean");
    }

    @Test
    void lossReductionKeysAreExact() {
        assertThat(KlLossReduction.parse("ldm")).isEqualTo(KlLossReduction.LDM);
        assertThatThrownBy(() -> KlLossReduction.parse("LDM")).hasMessage("loss_reduction: must be ldm or mean, got 'LDM'");
        assertThat(KlLossReduction.MEAN.key()).isEqualTo("mean");
    }
}
