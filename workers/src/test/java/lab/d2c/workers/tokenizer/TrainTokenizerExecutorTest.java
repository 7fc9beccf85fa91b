package lab.d2c.workers.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import lab.d2c.config.tokenizer.KlVaeConfig;
import lab.d2c.config.tokenizer.VqConfig;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.model.tokenizer.VqTokenizer;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.store.testing.TestStack;
import lab.d2c.workers.checkpoint.CheckpointPointer;
import lab.d2c.workers.checkpoint.CheckpointStore;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workers.training.SafetensorsExports;
import lab.d2c.workflows.node.NodeResult;
import org.junit.jupiter.api.Test;

/**
 * train-vq and train-vae on the real stores: a lost attempt resumes from its last checkpoint and
 * ends bit-identical to an attempt that never stopped; figures, metrics and weights are recorded.
 */
class TrainTokenizerExecutorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Thrown by a progress reporter to play a worker that dies at a step. */
    static final class WorkerLost extends RuntimeException {
        WorkerLost() {
            super("worker lost");
        }
    }

    @Test
    void aLostVqAttemptResumesFromItsCheckpointAndEndsBitIdentical() throws Exception {
        ArtifactStore store = TestStack.get().artifactStore("tok-resume");
        NodeResult dataset = TokenizerNodes.prepared(store, "prepare-dataset-tok1");
        Map<String, NodeResult> inputs = Map.of("dataset", dataset);
        String config = TokenizerNodes.vq(12, 4);

        NodeResult straight = TokenizerNodes.run(store, new TrainVqExecutor(), "train-vq-straight", config, inputs,
                (f, m, d) -> { });
        SafetensorsExports.assertMatchesTheDjlWeights(store, straight,
                new VqTokenizer(ModelWeights.config(straight, VqConfig.class)));

        // First attempt: the worker dies after step 6 (checkpoints at 4 exist, 8 does not).
        assertThatThrownBy(() -> TokenizerNodes.run(store, new TrainVqExecutor(), "train-vq-lost", config, inputs,
                (f, m, d) -> {
                    if (d instanceof Map<?, ?> map && map.get("step") instanceof Long step && step >= 6) {
                        throw new WorkerLost();
                    }
                })).isInstanceOf(WorkerLost.class);
        CheckpointPointer pointer = new CheckpointStore(store, "train-vq-lost").pointer().orElseThrow();
        assertThat(pointer.checkpoints().get(0).step()).isEqualTo(4);

        // Second attempt (Temporal's retry): continues at step 4, heartbeats name the checkpoint.
        TokenizerNodes.Recorder heartbeats = new TokenizerNodes.Recorder();
        NodeResult resumed = TokenizerNodes.run(store, new TrainVqExecutor(), "train-vq-lost", config, inputs, heartbeats);
        JsonNode r = JSON.readTree(resumed.resultJson());
        assertThat(r.get("resumed_from_step").asLong()).isEqualTo(4);
        assertThat(heartbeats.details.get(0).toString()).contains("step=4", "step-000000000004.ckpt");
        assertThat(heartbeats.details).anySatisfy(d -> assertThat(d.toString()).contains("step=12"));

        assertThat(store.getBytes(resumed.artifact("weights"))).isEqualTo(store.getBytes(straight.artifact("weights")));
        JsonNode s = JSON.readTree(straight.resultJson());
        assertThat(r.get("psnr").asDouble()).isEqualTo(s.get("psnr").asDouble());
        assertThat(r.get("final_loss").asDouble()).isEqualTo(s.get("final_loss").asDouble());

        // The loss curve has one row per logged step, the replayed steps 4..6 not duplicated,
        // and identical to the uninterrupted run's.
        List<MetricPoint> lost = TokenizerNodes.metrics().series("train-vq-lost", "train/loss");
        List<MetricPoint> clean = TokenizerNodes.metrics().series("train-vq-straight", "train/loss");
        assertThat(lost).extracting(MetricPoint::step).containsExactly(1L, 3L, 5L, 7L, 9L, 11L);
        assertThat(lost).extracting(MetricPoint::value).containsExactlyElementsOf(
                clean.stream().map(MetricPoint::value).toList());
        assertThat(TokenizerNodes.metrics().names("train-vq-lost")).contains("eval/psnr", "eval/codebook_usage",
                "train/perplexity", "train/grad_norm");
    }

    @Test
    void vaeRecordsItsFiguresLatentScaleAndModelConfig() throws Exception {
        ArtifactStore store = TestStack.get().artifactStore("tok-vae");
        NodeResult dataset = TokenizerNodes.prepared(store, "prepare-dataset-tok2");
        NodeResult vae = TokenizerNodes.run(store, new TrainVaeExecutor(), "train-vae-1", TokenizerNodes.vae(6, 3),
                Map.of("dataset", dataset), (f, m, d) -> { });
        JsonNode r = JSON.readTree(vae.resultJson());
        assertThat(r.get("psnr").asDouble()).isPositive();
        assertThat(r.get("kl").asDouble()).isPositive();
        assertThat(r.get("latent_scale").asDouble()).isPositive();
        assertThat(r.get("eval_images").asInt()).isEqualTo(32);
        assertThat(r.at("/model_config/latentChannels").asInt()).isEqualTo(4);
        assertThat(r.get("resumed_from_step").asLong()).isZero();
        assertThat(store.exists(vae.artifact("weights"))).isTrue();
        SafetensorsExports.assertMatchesTheDjlWeights(store, vae, new KlVae(ModelWeights.config(vae, KlVaeConfig.class)));
        assertThat(new CheckpointStore(store, "train-vae-1").pointer().orElseThrow().checkpoints().get(0).step())
                .isEqualTo(6);
    }

    @Test
    void badSettingsNameTheKey() throws Exception {
        ArtifactStore store = TestStack.get().artifactStore("tok-bad");
        NodeResult dataset = TokenizerNodes.prepared(store, "prepare-dataset-tok3");
        String widths = TokenizerNodes.vq(4, 2).replace("\"1,2,2\"", "\"1,two\"");
        assertThatThrownBy(() -> TokenizerNodes.run(store, new TrainVqExecutor(), "train-vq-bad1", widths,
                Map.of("dataset", dataset), (f, m, d) -> { }))
                .isInstanceOf(BadNodeInputException.class).hasMessageContaining("vq.width_multipliers");
        // stride 8 does not divide... 16 it does; stride 32 does not
        String tooDeep = TokenizerNodes.vq(4, 2).replace("\"1,2,2\"", "\"1,1,1,1,1,1\"");
        assertThatThrownBy(() -> TokenizerNodes.run(store, new TrainVqExecutor(), "train-vq-bad2", tooDeep,
                Map.of("dataset", dataset), (f, m, d) -> { }))
                .isInstanceOf(BadNodeInputException.class).hasMessageStartingWith("vq: ");
    }
}
