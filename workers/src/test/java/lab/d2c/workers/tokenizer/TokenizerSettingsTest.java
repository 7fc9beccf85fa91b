package lab.d2c.workers.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import lab.d2c.config.tokenizer.KlLossReduction;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workflows.node.NodeTask;
import org.junit.jupiter.api.Test;

class TokenizerSettingsTest {

    private static final DatasetManifest DATA = new DatasetManifest("shapes", 16, 1, List.of("a", "b", "c", "d"),
            "uint8", Map.of());

    private static NodeContext vae(String lossReduction) {
        String config = TokenizerNodes.vae(10, 5).replace("\"loss_reduction\":\"ldm\"",
                "\"loss_reduction\":\"" + lossReduction + "\"");
        return new NodeContext(new NodeTask("train-vae-settings", "train-vae", 1, config, Map.of()), null, null,
                (fraction, message, detail) -> { });
    }

    @Test
    void vaeLossReductionIsReadIntoTheConfigAndABadValueNamesTheKey() {
        assertThat(TokenizerSettings.vae(vae("ldm"), DATA).lossReduction()).isEqualTo(KlLossReduction.LDM);
        assertThat(TokenizerSettings.vae(vae("mean"), DATA).lossReduction()).isEqualTo(KlLossReduction.MEAN);
        assertThatThrownBy(() -> TokenizerSettings.vae(vae("sum"), DATA)).isInstanceOf(BadNodeInputException.class)
                .hasMessageContaining("vae.loss_reduction").hasMessageContaining("'sum'");
    }
}
