package lab.d2c.workers.rdpm;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.config.rdpm.RdpmPredictorConfig;
import lab.d2c.model.rdpm.CodeLookup;
import lab.d2c.model.rdpm.RdpmCodeMaps;
import lab.d2c.model.rdpm.RdpmTokenizer;
import lab.d2c.model.rdpm.RecurrentTokenPredictor;
import lab.d2c.model.runtime.Devices;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.workers.checkpoint.CheckpointStore;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.tokenizer.TokenizerWeights;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workers.training.TrainingRun;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.TrainRdpmNode;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code train-rdpm}: RDPM's recurrent token predictor (arXiv:2412.18390, section 3.2, Eq. 6-7) on the code maps of
 * {@code pretokenize-rdpm} (both flips), each batch with the noise eps_t its codes were quantized with (regenerated
 * from the manifest's seed), and z'_{t-1} summed from the tokenizer's codebook ({@link CodeLookup#codebook}: the
 * tokenizer's recursion subtracts raw code vectors). Trains through {@link TrainingRun} (exact resume, checkpoints,
 * heartbeats, metric rows {@code train/loss}, {@code train/accuracy}; {@code val/loss} on the held-out images of
 * {@code rdpm.predictor.train.holdout}, and the budget and convergence verdict as the result's {@code training}) with {@code rdpm.predictor.train} and
 * {@code rdpm.predictor.seed}. Exports the final weights (the EMA's when there is one) and records the
 * {@link RdpmPredictorConfig} as {@link ModelWeights#CONFIG_FIELD}, so {@code sample-rdpm} rebuilds the model with
 * {@code new RecurrentTokenPredictor(ModelWeights.config(result, RdpmPredictorConfig.class), lookup)}.
 */
public final class TrainRdpmExecutor implements NodeExecutor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String kind() {
        return TrainRdpmNode.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        long started = System.nanoTime();
        String section = ConfigSchema.RDPM_PREDICTOR;
        RdpmCodeManifest codes = RdpmCodeShards.manifest(ctx.artifacts(),
                ctx.task().input("tokens").artifact(PretokenizeRdpmExecutor.MANIFEST));
        RdpmPredictorConfig modelConfig = TrainingSettings.build(section, () -> RdpmPredictorConfig.fromConfig(
                ctx.config(), codes.codebookSize(), codes.codeDim(), codes.grid(), codes.steps(),
                codes.classNames().size()));
        TrainConfig config = TrainingSettings.training(ctx, section);
        long logEvery = TrainingSettings.integer(ctx, section + ".train.log_every");
        TrainingSettings.Validation validation = TrainingSettings.validation(ctx, section);
        CodeLookup lookup;
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            RdpmTokenizer tokenizer = TokenizerWeights.loadRdpm(ctx.artifacts(), ctx.task().input("tokenizer"), manager);
            codes.requireTokenizer(ctx.task().input("tokenizer").key(), tokenizer);
            // the codebook's values are copied out, so the tokenizer's manager can close
            lookup = CodeLookup.codebook(tokenizer.codebook(manager));
        }
        ctx.progress(0, "loading the code maps of " + codes.count() + " images (x" + codes.flips() + " flips, T = "
                + codes.steps() + ")");
        RdpmCodeMaps data = RdpmCodeShards.codeMaps(ctx.artifacts(), codes);
        RecurrentTokenPredictor model = new RecurrentTokenPredictor(modelConfig, lookup);

        TrainingRun.Outcome<Exported> run = TrainingRun.run(ctx, model, data, config, logEvery, validation,
                codes.flips(), block -> { }, (loop, result) -> {
            if (loop.ema() != null) {
                loop.ema().copyInto(model);
            }
            ModelWeights.Saved weights = ModelWeights.saveFinal(ctx, model, modelConfig);
            return new Exported(weights, parameters(model));
        });

        ObjectNode result = JSON.createObjectNode();
        result.put("steps", run.result().finalStep());   // the cap's, unless it stopped at convergence
        result.put("resumed_from_step", run.resumedFromStep());
        result.put("final_loss", run.result().lastLoss());
        result.put("parameters", run.finished().parameters());
        result.put("items", data.size());
        result.set("training", run.training());
        result.put("device", config.device());
        result.put("seconds_this_attempt", (System.nanoTime() - started) / 1e9);
        Map<String, String> artifacts = new LinkedHashMap<>();
        run.finished().weights().record(artifacts, result);
        artifacts.put("checkpoints", new CheckpointStore(ctx.artifacts(), ctx.key()).pointerKey());
        result.set(ModelWeights.CONFIG_FIELD, JSON.valueToTree(modelConfig));
        result.set("class_names", JSON.valueToTree(codes.classNames()));
        ctx.progress(1.0, String.format("done: loss %.4f nats/position, %d parameters", run.result().lastLoss(),
                run.finished().parameters()));
        return new NodeOutput(artifacts, result);
    }

    private static long parameters(RecurrentTokenPredictor model) {
        long n = 0;
        for (var p : model.getParameters()) {
            n += p.getValue().getArray().getShape().size();
        }
        return n;
    }

    private record Exported(ModelWeights.Saved weights, long parameters) {
    }
}
