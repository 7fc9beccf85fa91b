package lab.d2c.workers.stage2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import lab.d2c.model.hybrid.HybridConfig;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.pretokenize.TokenManifest;
import lab.d2c.workflows.node.NodeTask;
import org.junit.jupiter.api.Test;

/** The stage2 config section as model-lib's HybridConfig. */
class Stage2SettingsTest {

    private static final TokenManifest TOKENS = new TokenManifest(8, 1, 4, 16, 4, 1.0, List.of("a", "b"), "vq", "vae",
            List.of());

    private static HybridConfig model(String section) {
        NodeContext ctx = new NodeContext(new NodeTask("train-stage2-settings", "train-stage2", 1, "{" + section + "}",
                Map.of()), null, null, (fraction, message, details) -> { });
        return Stage2Settings.model(ctx, TOKENS, 16);
    }

    @Test
    void learnSigmaReachesTheModelAndIsRequired() {
        String section = Stage2Nodes.section("q-former", 4, 2);
        assertThat(model(section).learnSigma()).isTrue();
        assertThat(model(section.replace("\"learn_sigma\":true", "\"learn_sigma\":false")).learnSigma()).isFalse();
        assertThatThrownBy(() -> model(section.replace("\"learn_sigma\":true,", "")))
                .isInstanceOf(BadNodeInputException.class).hasMessageContaining("stage2.learn_sigma");
    }
}
