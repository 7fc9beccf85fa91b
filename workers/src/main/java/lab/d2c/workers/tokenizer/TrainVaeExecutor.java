package lab.d2c.workers.tokenizer;

import lab.d2c.workers.training.TrainOnImagesExecutor;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.model.tokenizer.LatentScale;
import lab.d2c.model.tokenizer.TokenizerEvaluation;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.TrainVaeNode;

/**
 * {@code train-vae}: the continuous tokenizer; reports test PSNR and KL, and the latent scale
 * factor (1 / std of posterior samples of {@code vae.scale_images} training images), as MAR
 * scales latents to unit variance.
 */
public final class TrainVaeExecutor extends TrainOnImagesExecutor<KlVae> {

    public static final String LATENT_SCALE = "latent_scale";

    @Override
    public String kind() {
        return TrainVaeNode.KIND;
    }

    @Override
    protected String section() {
        return "vae";
    }

    @Override
    protected KlVae model(NodeContext ctx, DatasetManifest data) {
        return new KlVae(TokenizerSettings.vae(ctx, data));
    }

    @Override
    protected Object modelConfig(KlVae model) {
        return model.config();
    }

    @Override
    protected Map<String, Double> evaluate(KlVae model, ImageBatches test, NDManager manager) {
        TokenizerEvaluation.VaeReport r = TokenizerEvaluation.vae(model, test, EVAL_BATCH, manager);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mse", r.mse());
        m.put("psnr", r.psnr());
        m.put("kl", r.kl());
        return m;
    }

    @Override
    protected Map<String, Double> extras(NodeContext ctx, KlVae model, ImageSet train, TrainConfig config, NDManager manager) {
        int n = Math.min(train.count(), TrainingSettings.integer(ctx, "vae.scale_images"));
        try (NDManager scratch = manager.newSubManager()) {
            NDArray images = new ImageBatches(train).images(scratch, 0, n);
            LatentScale scale = LatentScale.estimate(model, images, EVAL_BATCH, new StepRandom(config.seed(), config.steps()));
            return Map.of(LATENT_SCALE, scale.factor());
        }
    }
}
