package lab.d2c.workers.training;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainableModel;
import lab.d2c.model.train.TrainingLoop;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.workers.checkpoint.CheckpointStore;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.dataset.DatasetShards;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;

/**
 * What {@code train-vq}, {@code train-vae} and {@code train-classifier} share: read the prepared dataset, train with
 * {@link TrainingRun} (resume, checkpoints, heartbeats, metrics), then export the final weights
 * (the EMA's when there is one) and evaluate them on held-out test images.
 */
public abstract class TrainOnImagesExecutor<M extends TrainableModel> implements NodeExecutor {

    /**
     * Images per evaluation batch. DJL keeps every activation of a forward pass until its manager
     * closes, so an autoencoder's batch of 256 held about 1.4 GB at the tiny sizes (bench memory: train-vq
     * peaked at 2.2 GB while evaluating); 64 keeps evaluation below training's own footprint.
     */
    public static final int EVAL_BATCH = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The config section, {@code vq} or {@code vae}. */
    protected abstract String section();

    protected abstract M model(NodeContext ctx, DatasetManifest data);

    protected abstract Object modelConfig(M model);

    /** Figures of the trained model on held-out images, by name (e.g. psnr). */
    protected abstract Map<String, Double> evaluate(M model, ImageBatches test, NDManager manager);

    /** Extra figures computed from the training images (e.g. the latent scale). */
    protected Map<String, Double> extras(NodeContext ctx, M model, ImageSet train, TrainConfig config, NDManager manager) {
        return Map.of();
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        long started = System.nanoTime();
        DatasetManifest data = DatasetShards.manifest(ctx.artifacts(), ctx.task().input("dataset").artifact("manifest"));
        M model = model(ctx, data);
        TrainConfig config = TrainingSettings.training(ctx, section());
        long logEvery = TrainingSettings.integer(ctx, section() + ".train.log_every");
        int evalImages = TrainingSettings.integer(ctx, section() + ".train.eval_images");
        ctx.progress(0, "loading the training images");
        ImageSet train = DatasetShards.load(ctx.artifacts(), data, "train", 0);
        ImageBatches test = new ImageBatches(DatasetShards.load(ctx.artifacts(), data, "test", evalImages));

        TrainingRun.Outcome<Finished> run = TrainingRun.run(ctx, model, new ImageBatches(train), config, logEvery,
                (TrainingLoop loop, lab.d2c.model.train.TrainingResult result) -> {
                    if (loop.ema() != null) {
                        loop.ema().copyInto(model.block());
                    }
                    ctx.progress(1.0, "evaluating on " + test.size() + " test images");
                    Map<String, Double> figures = new LinkedHashMap<>(evaluate(model, test, loop.manager()));
                    figures.putAll(extras(ctx, model, train, config, loop.manager()));
                    return new Finished(figures, ModelWeights.saveFinal(ctx, model.block(), modelConfig(model)));
                });

        long lastStep = config.steps() - 1;
        ctx.metrics().upsertBatch(run.finished().figures().entrySet().stream()
                .map(e -> new MetricPoint(ctx.key(), "eval/" + e.getKey(), lastStep, e.getValue())).toList());
        ObjectNode result = JSON.createObjectNode();
        result.put("steps", config.steps());
        result.put("resumed_from_step", run.resumedFromStep());
        result.put("final_loss", run.result().lastLoss());
        result.put("device", config.device());
        result.put("seconds_this_attempt", (System.nanoTime() - started) / 1e9);
        result.put("eval_images", test.size());
        run.finished().figures().forEach(result::put);
        Map<String, String> artifacts = new LinkedHashMap<>();
        run.finished().weights().record(artifacts, result);
        artifacts.put("checkpoints", new CheckpointStore(ctx.artifacts(), ctx.key()).pointerKey());
        result.set(ModelWeights.CONFIG_FIELD, JSON.valueToTree(modelConfig(model)));
        ctx.progress(1.0, "done: " + summary(run.finished().figures()));
        return new NodeOutput(artifacts, result);
    }

    private static String summary(Map<String, Double> figures) {
        List<String> parts = figures.entrySet().stream().map(e -> e.getKey() + " " + String.format("%.4g", e.getValue()))
                .toList();
        return String.join(", ", parts);
    }

    private record Finished(Map<String, Double> figures, ModelWeights.Saved weights) {
    }
}
