package lab.d2c.workers.stage2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.pretokenize.TokenManifest;
import lab.d2c.workflows.node.NodeTask;
import org.junit.jupiter.api.Test;

/** Stage2Settings reads the stage2 section into HybridConfig (no stores: only the config is read). */
class Stage2SettingsTest {

    private static final TokenManifest TOKENS = new TokenManifest(8, 2, 4, 16, 4, 1.0, List.of("a", "b", "c"), "vq",
            "vae", List.of());

    private static HybridConfig model(String stage2) {
        NodeContext ctx = new NodeContext(new NodeTask("train-stage2-settings", "train-stage2", 2,
                "{" + stage2 + "}", Map.of()), null, null, null);
        return Stage2Settings.model(ctx, TOKENS, 16);
    }

    @Test
    void discretePositionsIsPassedThroughAndABadValueNamesTheKey() {
        String learned = Stage2Nodes.section("cross-attention", 2, 2);
        assertThat(learned).contains("\"discrete_positions\":\"learned\"");
        assertThat(model(learned).discretePositions()).isEqualTo(DiscretePositions.LEARNED);
        String none = learned.replace("\"discrete_positions\":\"learned\"", "\"discrete_positions\":\"none\"");
        assertThat(model(none).discretePositions()).isEqualTo(DiscretePositions.NONE);
        assertThat(model(none)).isEqualTo(model(learned).withDiscretePositions(DiscretePositions.NONE));

        String rope = learned.replace("\"discrete_positions\":\"learned\"", "\"discrete_positions\":\"rope\"");
        assertThatThrownBy(() -> model(rope)).isInstanceOf(BadNodeInputException.class)
                .hasMessage("stage2: stage2.discrete_positions 'rope' is not one of learned, none");
        String missing = learned.replace("\"discrete_positions\":\"learned\",", "");
        assertThatThrownBy(() -> model(missing)).isInstanceOf(BadNodeInputException.class)
                .hasMessageContaining("config key stage2.discrete_positions is missing");
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
