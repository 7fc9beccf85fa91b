package lab.d2c.workers.stage1;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.stage1.DiscreteArModel;
import lab.d2c.config.stage1.SamplingSettings;
import lab.d2c.model.stage1.Stage1Generator;
import lab.d2c.model.data.Npy;
import lab.d2c.model.runtime.Devices;
import lab.d2c.model.tokenizer.VqTokenizer;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workers.eval.GeneratedImages;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.tokenizer.TokenizerWeights;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.DecodeStage1Node;
import lab.d2c.workflows.node.NodeResult;

/**
 * {@code decode-stage1}: the discrete-only baseline (paper Table 1). Samples {@code stage1.sample.count}
 * token sequences from the trained stage-one model with the KV cache (labels cycle through the
 * classes; the run seed fixes the draws), decodes them with the VQ decoder, and writes
 * {@code samples.png} (a contact sheet, one class per column), {@code samples.npy} (uint8
 * [n, C, H, W]), {@code tokens.npy} (int32 [n, grid, grid]) and {@code labels.npy} (int32 [n]).
 * {@link Stage1Generator} samples and decodes; this node loads the models and writes the results.
 * Sampling is deterministic, so a retried attempt simply redoes it.
 */
public final class DecodeStage1Executor implements NodeExecutor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String kind() {
        return DecodeStage1Node.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        NodeResult stage1 = ctx.task().input("stage1");
        NodeResult vq = ctx.task().input("vq");
        SamplingSettings settings = Stage1Settings.sampling(ctx);
        int count = TrainingSettings.integer(ctx, "stage1.sample.count");
        int batchSize = TrainingSettings.integer(ctx, "stage1.sample.batch_size");
        long seed = ctx.required("seed").asLong();
        DiscreteArConfig config = ModelWeights.config(stage1, DiscreteArConfig.class);
        int[] labels = GeneratedImages.cyclingLabels(count, config.numClasses());
        int n = config.tokens();
        int grid = config.grid();
        Map<String, String> artifacts = new LinkedHashMap<>();
        ObjectNode result = JSON.createObjectNode();
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            DiscreteArModel model = new DiscreteArModel(config);
            ModelWeights.load(ctx.artifacts(), stage1, model, manager);
            VqTokenizer decoder = TokenizerWeights.loadVq(ctx.artifacts(), vq, manager);
            Stage1Generator.Result generated = Stage1Generator.builder().setModel(model).setDecoder(decoder)
                    .setSampling(settings).setBatchSize(batchSize).build()
                    .generate(manager, labels, seed, new Stage1Generator.Progress() {
                        @Override
                        public void tokens(long done, long total) {
                            ctx.progress(0.9 * done / total, String.format("sampled %d/%d tokens", done, total),
                                    Map.of("tokens", done, "total", total));
                        }

                        @Override
                        public void decoding(int images) {
                            ctx.progress(0.9, "decoding " + images + " images with the VQ decoder");
                        }
                    });
            double sampleSeconds = generated.sampleSeconds();
            int[] flat = generated.flatIds();
            byte[] pixels = generated.pixels();
            int channels = generated.channels();
            int size = generated.size();
            String prefix = ctx.prefix();
            GeneratedImages.write(ctx, artifacts, pixels, labels, channels, size, config.numClasses());
            ctx.write(prefix + "tokens.npy", ArtifactStore.OCTET_STREAM, out -> Npy.writeInt32(out, flat, count, grid, grid));
            artifacts.put("tokens", prefix + "tokens.npy");

            result.put("count", count);
            result.put("seed", seed);
            result.set("sampling", JSON.valueToTree(settings));
            result.put("batch_size", batchSize);
            result.put("sample_seconds", sampleSeconds);
            result.put("tokens_per_second", (double) count * n / sampleSeconds);
            result.put("device", ctx.device());
        }
        ctx.progress(1.0, String.format("done: %d images, %.0f tokens/s", count, result.get("tokens_per_second")
                .asDouble()));
        return new NodeOutput(artifacts, result);
    }
}
