package lab.d2c.workers.stage2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.model.stage1.ArSampler;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.stage1.DiscreteArModel;
import lab.d2c.config.stage1.SamplingSettings;
import lab.d2c.model.data.ImageGrid;
import lab.d2c.model.data.Npy;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.model.stage2.HybridModel;
import lab.d2c.model.stage2.HybridSampler;
import lab.d2c.config.stage2.HybridSamplingSettings;
import lab.d2c.model.runtime.Devices;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.store.artifact.ArtifactStore;
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
 * {@code stage2.sample.steps} steps; the VAE decoder turns them into images. Writes
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
        NodeResult vae = ctx.task().input("vae");
        HybridConfig config = ModelWeights.config(stage2, HybridConfig.class);
        boolean discrete = config.fusion().usesDiscreteTokens();
        HybridSamplingSettings settings = Stage2Settings.sampling(ctx);
        int count = TrainingSettings.integer(ctx, "stage2.sample.count");
        int batchSize = TrainingSettings.integer(ctx, "stage2.sample.batch_size");
        long seed = ctx.required("seed").asLong();
        double latentScale = ModelWeights.resultNumber(stage2, "latent_scale");
        int n = config.tokens();
        int c = config.tokenChannels();
        int grid = config.grid();
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % config.numClasses();
        }
        Map<String, String> artifacts = new LinkedHashMap<>();
        ObjectNode result = JSON.createObjectNode();
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            long started = System.nanoTime();
            int[][] ids = null;
            double discreteSeconds = 0;
            if (discrete) {
                NodeResult stage1 = ctx.task().input("stage1");
                SamplingSettings first = Stage1Settings.sampling(ctx);
                DiscreteArModel ar = new DiscreteArModel(ModelWeights.config(stage1, DiscreteArConfig.class));
                ModelWeights.load(ctx.artifacts(), stage1, ar, manager);
                ids = new ArSampler(ar).sample(manager, labels, first, seed, batchSize, true, (done, total) ->
                        ctx.progress(0.2 * done / total, String.format("stage one: %d/%d tokens", done, total)));
                discreteSeconds = (System.nanoTime() - started) / 1e9;
                result.set("stage1_sampling", JSON.valueToTree(first));
            }
            HybridModel model = new HybridModel(config);
            ModelWeights.load(ctx.artifacts(), stage2, model, manager);
            KlVae decoder = TokenizerWeights.loadVae(ctx.artifacts(), vae, manager);
            HybridSampler sampler = new HybridSampler(model);
            float[] latents = new float[count * n * c];
            byte[] pixels = null;
            int channels = decoder.config().imageChannels();
            int size = decoder.config().imageSize();
            int perImage = channels * size * size;
            long continuousStarted = System.nanoTime();
            for (int firstIndex = 0; firstIndex < count; firstIndex += batchSize) {
                int b = Math.min(batchSize, count - firstIndex);
                int[] batchLabels = java.util.Arrays.copyOfRange(labels, firstIndex, firstIndex + b);
                int[][] batchIds = ids == null ? null : java.util.Arrays.copyOfRange(ids, firstIndex, firstIndex + b);
                int done = firstIndex;
                try (NDManager step = manager.newSubManager()) {
                    NDArray tokens = sampler.sample(step, batchLabels, batchIds, settings, seed, firstIndex, s ->
                            ctx.progress(0.2 + 0.75 * (done + (double) b * s / settings.steps()) / count,
                                    String.format("stage two: image %d/%d, step %d/%d", done, count, s,
                                            settings.steps()), Map.of("images", done, "count", count)));
                    float[] values = tokens.toFloatArray();
                    System.arraycopy(values, 0, latents, firstIndex * n * c, values.length);
                    // [b, N, C] scaled tokens -> [b, C, grid, grid] unscaled latents
                    NDArray z = tokens.div(step.full(new ai.djl.ndarray.types.Shape(), (float) latentScale))
                            .reshape(b, grid, grid, c).transpose(0, 3, 1, 2);
                    NDArray images = decoder.decode(z);
                    byte[] batch = ImageGrid.toPixels(images.toType(DataType.FLOAT32, false).toFloatArray());
                    if (pixels == null) {
                        pixels = new byte[count * perImage];
                    }
                    System.arraycopy(batch, 0, pixels, firstIndex * perImage, batch.length);
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double continuousSeconds = (System.nanoTime() - continuousStarted) / 1e9;
            String prefix = ctx.prefix();
            byte[] allPixels = pixels;
            ctx.write(prefix + "samples.npy", ArtifactStore.OCTET_STREAM,
                    out -> Npy.writeUint8(out, allPixels, count, channels, size, size));
            ctx.write(prefix + "latents.npy", ArtifactStore.OCTET_STREAM,
                    out -> Npy.writeFloat32(out, latents, count, n, c));
            ctx.write(prefix + "labels.npy", ArtifactStore.OCTET_STREAM, out -> Npy.writeInt32(out, labels, count));
            ctx.write(prefix + "samples.png", "image/png",
                    out -> out.write(ImageGrid.png(allPixels, count, channels, size, config.numClasses())));
            artifacts.put("samples", prefix + "samples.npy");
            artifacts.put("latents", prefix + "latents.npy");
            artifacts.put("labels", prefix + "labels.npy");
            artifacts.put("grid", prefix + "samples.png");
            if (ids != null) {
                int[] flat = new int[count * n];
                for (int i = 0; i < count; i++) {
                    System.arraycopy(ids[i], 0, flat, i * n, n);
                }
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
            result.put("stage1_seconds", discreteSeconds);
            result.put("stage2_seconds", continuousSeconds);
            result.put("seconds_per_image", seconds / count);
            result.put("device", ctx.device());
        }
        ctx.progress(1.0, String.format("done: %d images, %.3f s/image", count, result.get("seconds_per_image")
                .asDouble()));
        return new NodeOutput(artifacts, result);
    }
}
