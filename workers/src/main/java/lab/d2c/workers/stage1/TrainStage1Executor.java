package lab.d2c.workers.stage1;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.stage1.DiscreteArModel;
import lab.d2c.model.stage1.TokenSequences;
import lab.d2c.model.data.Npy;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.store.artifact.ArtifactInfo;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workers.checkpoint.CheckpointStore;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.pretokenize.PretokenizeExecutor;
import lab.d2c.workers.pretokenize.TokenManifest;
import lab.d2c.workers.pretokenize.TokenShards;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workers.training.TrainingRun;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.TrainStage1Node;

/**
 * {@code train-stage1}: the discrete AR model on the pretokenized VQ ids (both flips), through
 * {@link TrainingRun} (exact resume, checkpoints, heartbeats, metric rows {@code train/loss},
 * {@code train/accuracy}, {@code train/perplexity}; {@code val/loss} on the held-out images of
 * {@code stage1.train.holdout}, and the budget and convergence verdict as the result's {@code training}). Exports the final weights (the EMA's when there is
 * one) and the token embedding table as {@code token_embedding.npy} [vocab, width] float32, which
 * stage two copies and freezes (paper section 5.1).
 */
public final class TrainStage1Executor implements NodeExecutor {

    public static final String EMBEDDING_ROLE = "token_embedding";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String kind() {
        return TrainStage1Node.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        long started = System.nanoTime();
        TokenManifest tokens = TokenShards.manifest(ctx.artifacts(),
                ctx.task().input("tokens").artifact(PretokenizeExecutor.MANIFEST));
        DiscreteArConfig modelConfig = Stage1Settings.model(ctx, tokens);
        TrainConfig config = TrainingSettings.training(ctx, "stage1");
        long logEvery = TrainingSettings.integer(ctx, "stage1.train.log_every");
        TrainingSettings.Validation validation = TrainingSettings.validation(ctx, "stage1");
        ctx.progress(0, "loading " + tokens.count() + " token sequences (x" + tokens.flips() + " flips)");
        TokenSequences data = TokenShards.discrete(ctx.artifacts(), tokens);
        DiscreteArModel model = new DiscreteArModel(modelConfig);
        String embeddingKey = ctx.prefix() + "token_embedding.npy";

        TrainingRun.Outcome<Exported> run = TrainingRun.run(ctx, model, data, config, logEvery, validation,
                tokens.flips(), block -> { }, (loop, result) -> {
            if (loop.ema() != null) {
                loop.ema().copyInto(model);
            }
            ModelWeights.Saved weights = ModelWeights.saveFinal(ctx, model, modelConfig);
            float[] table = model.tokenEmbedding().table(loop.manager()).toFloatArray();
            ArtifactInfo embedding = ctx.write(embeddingKey, ArtifactStore.OCTET_STREAM,
                    out -> Npy.writeFloat32(out, table, modelConfig.vocabSize(), modelConfig.width()));
            return new Exported(weights, embedding, model.parameterCount());
        });

        ObjectNode result = JSON.createObjectNode();
        result.put("steps", run.result().finalStep());   // the cap's, unless it stopped at convergence
        result.put("resumed_from_step", run.resumedFromStep());
        result.put("final_loss", run.result().lastLoss());
        result.put("parameters", run.finished().parameters());
        result.put("sequences", data.size());
        result.set("training", run.training());
        result.put("device", config.device());
        result.put("seconds_this_attempt", (System.nanoTime() - started) / 1e9);
        Map<String, String> artifacts = new LinkedHashMap<>();
        run.finished().weights().record(artifacts, result);
        artifacts.put(EMBEDDING_ROLE, embeddingKey);
        artifacts.put("checkpoints", new CheckpointStore(ctx.artifacts(), ctx.key()).pointerKey());
        result.put("token_embedding_sha256", run.finished().embedding().sha256());
        result.set(ModelWeights.CONFIG_FIELD, JSON.valueToTree(modelConfig));
        result.set("class_names", JSON.valueToTree(tokens.classNames()));
        ctx.progress(1.0, String.format("done: loss %.4f nats/token, %d parameters", run.result().lastLoss(),
                run.finished().parameters()));
        return new NodeOutput(artifacts, result);
    }

    private record Exported(ModelWeights.Saved weights, ArtifactInfo embedding, long parameters) {
    }
}
