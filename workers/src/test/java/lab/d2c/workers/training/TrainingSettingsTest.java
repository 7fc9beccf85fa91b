package lab.d2c.workers.training;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workflows.node.NodeTask;
import lab.d2c.workflows.spec.Presets;
import org.junit.jupiter.api.Test;

/**
 * The training settings of a section from the preset (no stores: only the config is read). RDPM's sections state
 * Adam's betas as the paper does (section 4.2: the tokenizer's (0.5, 0.9), the predictor's (0.9, 0.95)) and they
 * reach the loop; the sections without the keys keep the loop's (0.9, 0.95).
 */
class TrainingSettingsTest {

    private static TrainConfig training(ObjectNode config, String section) {
        NodeContext ctx = new NodeContext(new NodeTask("t", "train", 1, config.toString(), Map.of()), null, null, null);
        return TrainingSettings.training(ctx, section);
    }

    @Test
    void rdpmsAdamBetasReachTheLoopAndOtherSectionsKeepTheDefault() {
        ObjectNode tiny = Presets.load("tiny");
        TrainConfig tokenizer = training(tiny, "rdpm.tokenizer");
        assertThat(tokenizer.beta1()).isEqualTo(0.5);
        assertThat(tokenizer.beta2()).isEqualTo(0.9);
        TrainConfig predictor = training(tiny, "rdpm.predictor");
        assertThat(predictor.beta1()).isEqualTo(0.9);
        assertThat(predictor.beta2()).isEqualTo(0.95);
        TrainConfig vq = training(tiny, "vq");
        assertThat(vq.beta1()).isEqualTo(0.9);
        assertThat(vq.beta2()).isEqualTo(0.95);
        // the switch: the tokenizer with the loop's betas is the deviation arm
        tiny.with("rdpm").with("tokenizer").with("train").put("adam_beta1", 0.9).put("adam_beta2", 0.95);
        TrainConfig deviating = training(tiny, "rdpm.tokenizer");
        assertThat(deviating.beta1()).isEqualTo(0.9);
        assertThat(deviating).isEqualTo(new TrainConfig(tokenizer.steps(), tokenizer.batchSize(), tokenizer.lr(),
                tokenizer.warmupSteps(), tokenizer.lrSchedule(), tokenizer.weightDecay(), 0.9, 0.95, tokenizer.eps(),
                tokenizer.clipNorm(), tokenizer.emaDecay(), tokenizer.seed(), tokenizer.checkpointEvery(),
                tokenizer.logEvery(), tokenizer.device()));
    }

    @Test
    void untilConvergedIsOffInThePresetsAndNeedsAHeldOutSet() {
        ObjectNode tiny = Presets.load("tiny");
        for (String section : new String[] {"stage1", "stage2", "rdpm.predictor"}) {
            assertThat(validation(tiny, section).untilConverged()).as(section).isFalse();
        }
        tiny.with("stage2").with("train").put("until_converged", true);
        assertThat(validation(tiny, "stage2").untilConverged()).isTrue();
        tiny.with("stage2").with("train").put("holdout", 0.0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> validation(tiny, "stage2"))
                .hasMessageContaining("stage2.train.until_converged").hasMessageContaining("holdout must be > 0");
    }

    private static TrainingSettings.Validation validation(ObjectNode config, String section) {
        return TrainingSettings.validation(
                new NodeContext(new NodeTask("t", "train", 1, config.toString(), Map.of()), null, null, null), section);
    }
}
