package lab.d2c.workers.stage2;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.data.Npy;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.config.stage2.Stage2Condition;
import lab.d2c.model.stage2.HybridModel;
import lab.d2c.model.stage2.HybridTokens;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.workers.checkpoint.CheckpointStore;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.pretokenize.PretokenizeExecutor;
import lab.d2c.workers.pretokenize.TokenManifest;
import lab.d2c.workers.pretokenize.TokenShards;
import lab.d2c.workers.stage1.TrainStage1Executor;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workers.training.TrainingRun;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.TrainStage2Node;
import lab.d2c.workflows.node.NodeResult;

/**
 * {@code train-stage2}: the hybrid model on the pretokenized latents (drawn from the cached VAE
 * moments each step) and VQ ids of both flips, through {@link TrainingRun} (exact resume,
 * checkpoints, heartbeats, metric rows {@code train/loss} and {@code train/mask_ratio}; {@code val/loss} on the
 * held-out images of {@code stage2.train.holdout}, and the budget and convergence verdict as the result's
 * {@code training}). With a
 * fusion that reads discrete tokens, the discrete embedding starts as stage one's exported table
 * ({@code stage2.init_discrete_from_stage1}) and stays fixed ({@code stage2.freeze_discrete_embedding}),
 * paper section 5.1. Its discrete condition is stage one's teacher-forced predictions (input
 * {@code predictions}, section 4.2) unless {@code stage2.condition} is {@code ground-truth}.
 * Exports the final weights (the EMA's when there is one).
 */
public final class TrainStage2Executor implements NodeExecutor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String kind() {
        return TrainStage2Node.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        long started = System.nanoTime();
        TokenManifest tokens = TokenShards.manifest(ctx.artifacts(),
                ctx.task().input("tokens").artifact(PretokenizeExecutor.MANIFEST));
        boolean discrete = Stage2Settings.fusion(ctx).usesDiscreteTokens();
        NodeResult stage1 = discrete ? ctx.task().input("stage1") : null;
        int discreteWidth = ctx.required("stage2.encoder_width").asInt();
        if (stage1 != null) {
            DiscreteArConfig first = ModelWeights.config(stage1, DiscreteArConfig.class);
            tokens.requireStageOne(first);
            discreteWidth = first.width();
        }
        HybridConfig modelConfig = Stage2Settings.model(ctx, tokens, discreteWidth);
        TrainConfig config = TrainingSettings.training(ctx, "stage2");
        long logEvery = TrainingSettings.integer(ctx, "stage2.train.log_every");
        TrainingSettings.Validation validation = TrainingSettings.validation(ctx, "stage2");
        boolean copy = discrete && ctx.required("stage2.init_discrete_from_stage1").asBoolean();
        boolean freeze = discrete && ctx.required("stage2.freeze_discrete_embedding").asBoolean();
        float[] table = copy ? stage1Table(ctx, stage1, modelConfig) : null;
        ctx.progress(0, "loading the latents and ids of " + tokens.count() + " images (x" + tokens.flips() + " flips)");
        HybridTokens data = TokenShards.continuous(ctx.artifacts(), tokens);
        // section 4.2: the discrete condition is stage one's teacher-forced predictions, not the image's own codes
        boolean onPredictions = discrete && Stage2Condition.onPredictions(ctx.required("stage2.condition").asText());
        if (onPredictions) {
            data = data.withConditionIds(PredictStage1Executor.read(ctx.artifacts(),
                    ctx.task().input("predictions").artifact(PredictStage1Executor.MANIFEST), tokens));
        }
        HybridModel model = new HybridModel(modelConfig);

        TrainingRun.Outcome<Exported> run = TrainingRun.run(ctx, model, data, config, logEvery, validation,
                tokens.flips(), block -> {
            if (table != null) {
                model.discreteEmbedding().copyFrom(table);
            }
            if (freeze) {
                model.discreteEmbedding().freeze();
            }
        }, (loop, result) -> {
            if (loop.ema() != null) {
                loop.ema().copyInto(model);
            }
            return new Exported(ModelWeights.saveFinal(ctx, model, modelConfig), model.parameterCount());
        });

        ObjectNode result = JSON.createObjectNode();
        result.put("steps", run.result().finalStep());   // the cap's, unless it stopped at convergence
        result.put("resumed_from_step", run.resumedFromStep());
        result.put("final_loss", run.result().lastLoss());
        result.put("parameters", run.finished().parameters());
        result.put("fusion", modelConfig.fusion().key());
        result.put("discrete_embedding", copy ? (freeze ? "stage one, frozen" : "stage one, trained")
                : discrete ? (freeze ? "random, frozen" : "random, trained") : "none");
        result.put("condition", !discrete ? "none" : onPredictions ? "stage one's predictions" : "ground truth");
        result.put("items", data.size());
        result.set("training", run.training());
        result.put("latent_scale", tokens.latentScale());
        result.put("device", config.device());
        result.put("seconds_this_attempt", (System.nanoTime() - started) / 1e9);
        result.set(ModelWeights.CONFIG_FIELD, JSON.valueToTree(modelConfig));
        result.set("class_names", JSON.valueToTree(tokens.classNames()));
        ctx.progress(1.0, String.format("done: loss %.4f, %d parameters, fusion %s", run.result().lastLoss(),
                run.finished().parameters(), modelConfig.fusion().key()));
        Map<String, String> artifacts = new LinkedHashMap<>();
        run.finished().weights().record(artifacts, result);
        artifacts.put("checkpoints", new CheckpointStore(ctx.artifacts(), ctx.key()).pointerKey());
        return new NodeOutput(artifacts, result);
    }

    private static float[] stage1Table(NodeContext ctx, NodeResult stage1, HybridConfig config) throws IOException {
        byte[] bytes = ctx.artifacts().getBytes(stage1.artifact(TrainStage1Executor.EMBEDDING_ROLE));
        Npy.Array table = Npy.read(new ByteArrayInputStream(bytes));
        float[] values = table.asFloats();
        if (values.length != (long) config.vocabSize() * config.discreteWidth()) {
            throw new IllegalStateException("stage one's token embedding has " + values.length + " values, expected "
                    + config.vocabSize() + " x " + config.discreteWidth());
        }
        return values;
    }

    private record Exported(ModelWeights.Saved weights, long parameters) {
    }
}
