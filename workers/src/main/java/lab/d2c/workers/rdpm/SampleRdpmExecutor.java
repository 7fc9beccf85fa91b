package lab.d2c.workers.rdpm;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.config.rdpm.RdpmPredictorConfig;
import lab.d2c.config.rdpm.RdpmSamplingSettings;
import lab.d2c.model.data.Npy;
import lab.d2c.model.rdpm.CodeLookup;
import lab.d2c.model.rdpm.RdpmGenerator;
import lab.d2c.model.rdpm.RdpmTokenizer;
import lab.d2c.model.rdpm.RecurrentTokenPredictor;
import lab.d2c.model.runtime.Devices;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workers.eval.GeneratedImages;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.tokenizer.TokenizerWeights;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.SampleRdpmNode;
import lab.d2c.workflows.node.NodeResult;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code sample-rdpm}: RDPM's generation (arXiv:2412.18390 section 3.2, Algorithm 2). Labels cycle through the
 * classes; model-lib's {@link RdpmGenerator} runs the T predictor steps from pure noise with {@code rdpm.sample}'s
 * guidance and Gumbel settings and decodes the code maps with the trained tokenizer; this node loads the models and
 * writes the results in the form {@code sample} writes them, so {@code evaluate} reads them the same way:
 * {@code samples.npy} (uint8 [n, C, H, W]), {@code labels.npy} (int32 [n]), {@code samples.png} (one class per
 * column), and {@code codes.npy} (int32 [n, T, h, w], the chosen code maps). The run seed fixes every draw; a retried
 * attempt redoes it.
 */
public final class SampleRdpmExecutor implements NodeExecutor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String kind() {
        return SampleRdpmNode.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        NodeResult rdpm = ctx.task().input("rdpm");
        RdpmPredictorConfig config = ModelWeights.config(rdpm, RdpmPredictorConfig.class);
        RdpmSamplingSettings settings = TrainingSettings.build(ConfigSchema.RDPM_SAMPLE,
                () -> RdpmSamplingSettings.fromConfig(ctx.config()));
        int count = TrainingSettings.integer(ctx, ConfigSchema.RDPM_SAMPLE + ".count");
        int batchSize = TrainingSettings.integer(ctx, ConfigSchema.RDPM_SAMPLE + ".batch_size");
        long seed = ctx.required(ConfigSchema.RUN_SEED).asLong();
        int[] labels = GeneratedImages.cyclingLabels(count, config.numClasses());
        Map<String, String> artifacts = new LinkedHashMap<>();
        ObjectNode result = JSON.createObjectNode();
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            RdpmTokenizer tokenizer = TokenizerWeights.loadRdpm(ctx.artifacts(), ctx.task().input("tokenizer"),
                    manager);
            // z'_{t-1} sums the tokenizer's raw code vectors, as its recursion subtracts them (section 3.1, Eq. 2)
            RecurrentTokenPredictor model = new RecurrentTokenPredictor(config,
                    CodeLookup.codebook(tokenizer.codebook(manager)));
            ModelWeights.load(ctx.artifacts(), rdpm, model, manager);
            RdpmGenerator generator = RdpmGenerator.builder().setModel(model).setTokenizer(tokenizer)
                    .setSampling(settings).setBatchSize(batchSize).build();
            long started = System.nanoTime();
            RdpmGenerator.Result generated = generator.generate(manager, labels, seed, new RdpmGenerator.Progress() {
                @Override
                public void step(int first, int size, int t, int steps) {
                    ctx.progress(0.95 * (first + (double) size * t / steps) / count,
                            String.format("image %d/%d, step %d/%d", first, count, t, steps),
                            Map.of("images", first, "count", count, "step", t));
                }

                @Override
                public void decoding(int images) {
                    ctx.progress(0.95, "decoding " + images + " images");
                }
            });
            double seconds = (System.nanoTime() - started) / 1e9;
            byte[] pixels = generated.pixels();
            int[] codes = generated.codes();
            int channels = generated.channels();
            int size = generated.size();
            int steps = generated.steps();
            int grid = generated.grid();
            String prefix = ctx.prefix();
            GeneratedImages.write(ctx, artifacts, pixels, labels, channels, size, config.numClasses());
            ctx.write(prefix + "codes.npy", ArtifactStore.OCTET_STREAM,
                    out -> Npy.writeInt32(out, codes, count, steps, grid, grid));
            artifacts.put("codes", prefix + "codes.npy");
            result.put("count", count);
            result.put("seed", seed);
            result.put("steps", steps);
            result.set("sampling", JSON.valueToTree(settings));
            result.put("batch_size", batchSize);
            result.put("seconds", seconds);
            result.put("sample_seconds", generated.sampleSeconds());
            result.put("seconds_per_image", seconds / count);
            result.put("device", ctx.device());
        }
        ctx.progress(1.0, String.format("done: %d images, %.3f s/image", count,
                result.get("seconds_per_image").asDouble()));
        return new NodeOutput(artifacts, result);
    }
}
