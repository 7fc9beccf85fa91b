package lab.d2c.workers.rdpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import lab.d2c.config.rdpm.RdpmTokenizerConfig;
import lab.d2c.model.rdpm.RdpmTokenizer;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.store.testing.TestStack;
import lab.d2c.workers.StandardExecutors;
import lab.d2c.workers.checkpoint.CheckpointPointer;
import lab.d2c.workers.checkpoint.CheckpointStore;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.tokenizer.TokenizerNodes;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workers.training.SafetensorsExports;
import lab.d2c.workflows.graph.TrainRdpmTokenizerNode;
import lab.d2c.workflows.node.NodeResult;
import org.junit.jupiter.api.Test;

/**
 * train-rdpm-tokenizer on the real stores: weights, model config, metric rows and finite test figures are
 * recorded; a lost attempt resumes from its checkpoint and ends bit-identical to one that never stopped
 * (test figures included, so their noise is seeded).
 */
class TrainRdpmTokenizerExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A small {@code rdpm.tokenizer} section on TokenizerNodes' 16x16 shapes: stride 4 (4x4 tokens), 32 codes x 4, T = 3. */
    static String config(long steps, long checkpointEvery, boolean gamma) {
        return "{\"rdpm\":{\"tokenizer\":{\"seed\":5,\"base_width\":8,\"width_multipliers\":\"1,2,2\",\"res_blocks\":1,"
                + "\"z_channels\":16,\"code_dim\":4,\"codebook_size\":32,\"steps\":3,\"schedule\":\"pow\",\"phi\":0.75,"
                + "\"gamma_weighting\":" + gamma + ",\"bias_conv\":true,\"commitment_beta\":0.25,"
                + "\"perceptual_loss\":false,\"adversarial_loss\":false,"
                + "\"train\":{\"steps\":" + steps + ",\"batch_size\":8,\"lr\":0.002,\"warmup_steps\":2,"
                + "\"lr_schedule\":\"constant\",\"weight_decay\":0.0,\"clip_norm\":1.0,\"ema_decay\":0.0,"
                + "\"checkpoint_every\":" + checkpointEvery + ",\"log_every\":2,\"eval_images\":32}}}}";
    }

    /** Thrown by a progress reporter to play a worker that dies at a step. */
    static final class WorkerLost extends RuntimeException {
        WorkerLost() {
            super("worker lost");
        }
    }

    @Test
    void isRegistered() {
        assertThat(StandardExecutors.create().kinds()).contains(TrainRdpmTokenizerNode.KIND);
    }

    @Test
    void recordsWeightsMetricsAndTestFiguresAndALostAttemptResumesBitIdentical() throws Exception {
        ArtifactStore store = TestStack.get().artifactStore("rdpm-tok");
        NodeResult dataset = TokenizerNodes.prepared(store, "prepare-dataset-rdpm1");
        Map<String, NodeResult> inputs = Map.of("dataset", dataset);
        String config = config(8, 4, true);

        NodeResult straight = TokenizerNodes.run(store, new TrainRdpmTokenizerExecutor(), "train-rdpm-tokenizer-straight",
                config, inputs, (f, m, d) -> { });
        SafetensorsExports.assertMatchesTheDjlWeights(store, straight,
                new RdpmTokenizer(ModelWeights.config(straight, RdpmTokenizerConfig.class)));
        JsonNode s = JSON.readTree(straight.resultJson());
        assertThat(s.get("psnr").asDouble()).isFinite().isPositive();
        assertThat(s.get("mse").asDouble()).isFinite().isPositive();
        assertThat(s.get("perplexity").asDouble()).isFinite().isGreaterThanOrEqualTo(1.0);
        assertThat(s.get("eval_images").asInt()).isEqualTo(32);
        assertThat(s.at("/model_config/steps").asInt()).isEqualTo(3);
        assertThat(s.at("/model_config/gammaWeighting").asBoolean()).isTrue();
        assertThat(store.exists(straight.artifact("weights"))).isTrue();
        assertThat(TokenizerNodes.metrics().names("train-rdpm-tokenizer-straight")).contains("eval/psnr", "eval/mse",
                "train/loss", "train/psnr", "train/codebook_loss");

        // First attempt: the worker dies after step 6 (the checkpoint at 4 exists, 8 does not).
        assertThatThrownBy(() -> TokenizerNodes.run(store, new TrainRdpmTokenizerExecutor(), "train-rdpm-tokenizer-lost",
                config, inputs, (f, m, d) -> {
                    if (d instanceof Map<?, ?> map && map.get("step") instanceof Long step && step >= 6) {
                        throw new WorkerLost();
                    }
                })).isInstanceOf(WorkerLost.class);
        CheckpointPointer pointer = new CheckpointStore(store, "train-rdpm-tokenizer-lost").pointer().orElseThrow();
        assertThat(pointer.checkpoints().get(0).step()).isEqualTo(4);

        NodeResult resumed = TokenizerNodes.run(store, new TrainRdpmTokenizerExecutor(), "train-rdpm-tokenizer-lost",
                config, inputs, (f, m, d) -> { });
        JsonNode r = JSON.readTree(resumed.resultJson());
        assertThat(r.get("resumed_from_step").asLong()).isEqualTo(4);
        assertThat(store.getBytes(resumed.artifact("weights"))).isEqualTo(store.getBytes(straight.artifact("weights")));
        assertThat(r.get("psnr").asDouble()).isEqualTo(s.get("psnr").asDouble());
        assertThat(r.get("final_loss").asDouble()).isEqualTo(s.get("final_loss").asDouble());
        List<MetricPoint> lost = TokenizerNodes.metrics().series("train-rdpm-tokenizer-lost", "train/loss");
        List<MetricPoint> clean = TokenizerNodes.metrics().series("train-rdpm-tokenizer-straight", "train/loss");
        assertThat(lost).extracting(MetricPoint::step).containsExactly(1L, 3L, 5L, 7L);
        assertThat(lost).extracting(MetricPoint::value).containsExactlyElementsOf(
                clean.stream().map(MetricPoint::value).toList());
    }

    @Test
    void badSettingsNameTheKey() throws Exception {
        ArtifactStore store = TestStack.get().artifactStore("rdpm-tok-bad");
        NodeResult dataset = TokenizerNodes.prepared(store, "prepare-dataset-rdpm2");
        String badPhi = config(4, 2, true).replace("\"phi\":0.75", "\"phi\":1.5");
        assertThatThrownBy(() -> TokenizerNodes.run(store, new TrainRdpmTokenizerExecutor(), "train-rdpm-tokenizer-bad",
                badPhi, Map.of("dataset", dataset), (f, m, d) -> { }))
                .isInstanceOf(BadNodeInputException.class).hasMessageContaining("rdpm.tokenizer.phi");
    }
}
