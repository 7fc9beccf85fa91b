package lab.d2c.workers.rdpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import lab.d2c.config.rdpm.RdpmTokenizerConfig;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.rdpm.QuantizationNoise;
import lab.d2c.model.rdpm.RdpmTokenizer;
import lab.d2c.model.tokenizer.CodeUsage;
import lab.d2c.model.tokenizer.ReconstructionMetrics;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.training.TrainOnImagesExecutor;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.TrainRdpmTokenizerNode;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code train-rdpm-tokenizer}: RDPM's diffusion-based tokenizer (arXiv:2412.18390 section 3.1). Trains as
 * {@code train-vq} does, then reports on held-out images what section 4.4's reconstruction comparison
 * measures: the images quantized with T noisy residual steps (Algorithm 1) and decoded from their codes.
 * Figures: {@code mse} and {@code psnr} (clipped to [-1, 1], as the other tokenizers'), and the usage and
 * perplexity of the codes over every step's map.
 */
public final class TrainRdpmTokenizerExecutor extends TrainOnImagesExecutor<RdpmTokenizer> {

    /**
     * Seed of the test figures' noise eps_1..eps_T. Fixed rather than the run's: every arm with the same T
     * and code dimension quantizes the test images with the same noise, so their figures differ only by
     * their models. Each image draws from its own generator, so the figures do not depend on the batching.
     */
    static final long EVAL_NOISE_SEED = 0x5244504D_45564C4EL;

    @Override
    public String kind() {
        return TrainRdpmTokenizerNode.KIND;
    }

    @Override
    protected String section() {
        return ConfigSchema.RDPM_TOKENIZER;
    }

    @Override
    protected RdpmTokenizer model(NodeContext ctx, DatasetManifest data) {
        return new RdpmTokenizer(TrainingSettings.build(ConfigSchema.RDPM_TOKENIZER,
                () -> RdpmTokenizerConfig.fromConfig(ctx.config(), data.imageSize(), data.channels())));
    }

    @Override
    protected Object modelConfig(RdpmTokenizer model) {
        return model.config();
    }

    @Override
    protected Map<String, Double> evaluate(RdpmTokenizer model, ImageBatches test, NDManager manager) {
        int n = test.size();
        if (n == 0) {
            throw new IllegalArgumentException("no images to evaluate on");
        }
        long perImage = model.noiseShape(1).size();
        double squaredError = 0;
        long[] counts = new long[model.config().codebookSize()];
        for (int from = 0; from < n; from += EVAL_BATCH) {
            int to = Math.min(n, from + EVAL_BATCH);
            try (NDManager scratch = manager.newSubManager()) {
                NDArray images = test.images(scratch, from, to);
                float[] eps = new float[Math.toIntExact((to - from) * perImage)];
                for (int i = from; i < to; i++) {
                    QuantizationNoise.normals(new SplittableRandom(EVAL_NOISE_SEED ^ (i * 0x9E3779B97F4A7C15L)), eps,
                            (int) ((i - from) * perImage), (int) perImage);
                }
                NDArray noise = scratch.create(eps, model.noiseShape(to - from)).toType(images.getDataType(), false);
                NDArray codes = model.encode(images, noise);
                for (int c : codes.toIntArray()) {
                    counts[c]++;
                }
                float[] diff = model.decode(codes).clip(-1f, 1f).sub(images).toType(DataType.FLOAT32, false)
                        .toFloatArray();
                for (float d : diff) {
                    squaredError += (double) d * d;
                }
            }
        }
        double mse = squaredError / ((double) n * test.set().imageBytes());
        long used = java.util.Arrays.stream(counts).filter(c -> c > 0).count();
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("mse", mse);
        m.put("psnr", ReconstructionMetrics.psnr(mse));
        m.put("codebook_usage", (double) used / counts.length);
        m.put("perplexity", CodeUsage.perplexity(counts));
        return m;
    }
}
