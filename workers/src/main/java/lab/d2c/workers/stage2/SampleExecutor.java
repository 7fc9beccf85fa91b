package lab.d2c.workers.stage2;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.stage1.DiscreteArModel;
import lab.d2c.model.stage1.Stage1Generator;
import lab.d2c.model.data.Npy;
import lab.d2c.model.stage2.D2cGenerator;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.model.stage2.HybridModel;
import lab.d2c.config.stage2.HybridSamplingSettings;
import lab.d2c.model.runtime.Devices;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.model.tokenizer.LatentScale;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workers.eval.GeneratedImages;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.stage1.Stage1Settings;
import lab.d2c.workers.tokenizer.TokenizerWeights;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.SampleNode;
import lab.d2c.workflows.node.NodeResult;

/**
 * {@code sample}: D2C generation (paper section 5.1). Labels cycle through the classes; stage one
 * draws each image's discrete tokens with {@code stage1.sample}'s settings (not for fusion
 * {@code none}, MAR's sampling); stage two generates the continuous tokens over
 * {@code stage2.sample.steps} steps; the VAE decoder turns them into images ({@link D2cGenerator} does
 * all of it; this node loads the models and writes the results). Writes
 * {@code samples.png} (one class per column), {@code samples.npy} (uint8 [n, C, H, W]),
 * {@code latents.npy} (float32 [n, N, C], scaled), {@code labels.npy} and, with stage one,
 * {@code tokens.npy}. The run seed fixes every draw; a retried attempt redoes it.
 */
public final class SampleExecutor implements NodeExecutor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String kind() {
        return SampleNode.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        NodeResult stage2 = ctx.task().input("stage2");
        HybridConfig config = ModelWeights.config(stage2, HybridConfig.class);
        boolean discrete = config.fusion().usesDiscreteTokens();
        HybridSamplingSettings settings = Stage2Settings.sampling(ctx);
        int count = TrainingSettings.integer(ctx, "stage2.sample.count");
        int batchSize = TrainingSettings.integer(ctx, "stage2.sample.batch_size");
        long seed = ctx.required("seed").asLong();
        int n = config.tokens();
        int c = config.tokenChannels();
        int grid = config.grid();
        int[] labels = GeneratedImages.cyclingLabels(count, config.numClasses());
        Map<String, String> artifacts = new LinkedHashMap<>();
        ObjectNode result = JSON.createObjectNode();
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            long started = System.nanoTime();
            D2cGenerator.Result generated = generator(ctx, config, settings, batchSize, manager)
                    .generate(manager, labels, seed, new D2cGenerator.Progress() {
                        @Override
                        public void stageOne(long done, long total) {
                            ctx.progress(0.2 * done / total, String.format("stage one: %d/%d tokens", done, total));
                        }

                        @Override
                        public void stageTwo(int done, int b, int s, int steps) {
                            ctx.progress(0.2 + 0.75 * (done + (double) b * s / steps) / count,
                                    String.format("stage two: image %d/%d, step %d/%d", done, count, s, steps),
                                    Map.of("images", done, "count", count));
                        }
                    });
            if (discrete) {
                result.set("stage1_sampling", JSON.valueToTree(Stage1Settings.sampling(ctx)));
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            int[][] ids = generated.ids();
            float[] latents = generated.latents();
            byte[] allPixels = generated.pixels();
            int channels = generated.channels();
            int size = generated.size();
            String prefix = ctx.prefix();
            GeneratedImages.write(ctx, artifacts, allPixels, labels, channels, size, config.numClasses());
            ctx.write(prefix + "latents.npy", ArtifactStore.OCTET_STREAM,
                    out -> Npy.writeFloat32(out, latents, count, n, c));
            artifacts.put("latents", prefix + "latents.npy");
            if (ids != null) {
                int[] flat = Stage1Generator.flatten(ids);
                ctx.write(prefix + "tokens.npy", ArtifactStore.OCTET_STREAM,
                        out -> Npy.writeInt32(out, flat, count, grid, grid));
                artifacts.put("tokens", prefix + "tokens.npy");
            }
            result.put("count", count);
            result.put("seed", seed);
            result.put("fusion", config.fusion().key());
            result.set("sampling", JSON.valueToTree(settings));
            result.put("batch_size", batchSize);
            result.put("seconds", seconds);
            result.put("stage1_seconds", generated.stage1Seconds());
            result.put("stage2_seconds", generated.stage2Seconds());
            result.put("seconds_per_image", seconds / count);
            result.put("device", ctx.device());
        }
        ctx.progress(1.0, String.format("done: %d images, %.3f s/image", count, result.get("seconds_per_image")
                .asDouble()));
        return new NodeOutput(artifacts, result);
    }

    /** The generator with its models loaded onto {@code manager}: stage one only where the fusion uses its ids. */
    private static D2cGenerator generator(NodeContext ctx, HybridConfig config, HybridSamplingSettings settings,
            int batchSize, NDManager manager) {
        NodeResult stage2 = ctx.task().input("stage2");
        D2cGenerator.Builder generator = D2cGenerator.builder();
        if (config.fusion().usesDiscreteTokens()) {
            NodeResult stage1 = ctx.task().input("stage1");
            DiscreteArModel ar = new DiscreteArModel(ModelWeights.config(stage1, DiscreteArConfig.class));
            ModelWeights.load(ctx.artifacts(), stage1, ar, manager);
            generator.optStage1(ar, Stage1Settings.sampling(ctx));
        }
        HybridModel model = new HybridModel(config);
        ModelWeights.load(ctx.artifacts(), stage2, model, manager);
        KlVae decoder = TokenizerWeights.loadVae(ctx.artifacts(), ctx.task().input("vae"), manager);
        return generator.setModel(model).setSampling(settings).setDecoder(decoder)
                .setLatentScale(new LatentScale(ModelWeights.resultNumber(stage2, "latent_scale")))
                .setBatchSize(batchSize).build();
    }
}
