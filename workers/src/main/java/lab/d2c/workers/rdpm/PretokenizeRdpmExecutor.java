package lab.d2c.workers.rdpm;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.data.Npy;
import lab.d2c.model.rdpm.QuantizationNoise;
import lab.d2c.model.rdpm.RdpmPretokenizer;
import lab.d2c.model.rdpm.RdpmTokenizer;
import lab.d2c.model.runtime.Devices;
import lab.d2c.store.artifact.ArtifactInfo;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.dataset.DatasetShards;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.pretokenize.PretokenizeExecutor;
import lab.d2c.workers.tokenizer.TokenizerWeights;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.PretokenizeRdpmNode;

/**
 * {@code pretokenize-rdpm}: quantizes every training image and its mirror with the trained RDPM tokenizer into T code
 * maps (arXiv:2412.18390, Algorithm 1), each item (image, flip) with its own {@link QuantizationNoise} from
 * {@code rdpm.pretokenize.noise_seed}, so {@code train-rdpm} regenerates the eps_t the codes were drawn with (section
 * 3.2). Writes shards of {@code pretokenize.shard_size} images (int32 codes [n, 2, T, h, w], int32 labels [n]) and
 * {@code manifest.json} ({@link RdpmCodeManifest}). Inference only, seeded: a retried attempt rewrites the same bytes.
 */
public final class PretokenizeRdpmExecutor implements NodeExecutor {

    public static final String MANIFEST = PretokenizeExecutor.MANIFEST;
    static final String NOISE_SEED = "rdpm.pretokenize.noise_seed";
    private static final String NPY = "application/x-npy";

    @Override
    public String kind() {
        return PretokenizeRdpmNode.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        int batchSize = TrainingSettings.integer(ctx, "pretokenize.batch_size");
        int shardSize = TrainingSettings.integer(ctx, "pretokenize.shard_size");
        if (shardSize < 1) {
            throw new BadNodeInputException("pretokenize.shard_size: must be >= 1, got " + shardSize);
        }
        JsonNode seedNode = ctx.required(NOISE_SEED);
        if (!seedNode.canConvertToLong() || !seedNode.isIntegralNumber()) {
            throw new BadNodeInputException(NOISE_SEED + ": expected an integer, got " + seedNode);
        }
        long noiseSeed = seedNode.asLong();
        DatasetManifest data = DatasetShards.manifest(ctx.artifacts(), ctx.task().input("dataset").artifact("manifest"));
        ImageSet train = DatasetShards.load(ctx.artifacts(), data, "train", 0);
        String tokenizerKey = ctx.task().input("tokenizer").key();
        List<RdpmCodeManifest.Shard> shards = new ArrayList<>();
        long started = System.nanoTime();
        RdpmTokenizer tokenizer;
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            tokenizer = TokenizerWeights.loadRdpm(ctx.artifacts(), ctx.task().input("tokenizer"), manager);
            if (tokenizer.config().imageSize() != data.imageSize() || tokenizer.config().imageChannels() != data.channels()) {
                throw new BadNodeInputException("tokenizer " + tokenizerKey + " reads " + tokenizer.config().imageSize()
                        + " px x " + tokenizer.config().imageChannels() + " channels; the dataset has " + data.imageSize()
                        + " px x " + data.channels());
            }
            RdpmPretokenizer pretokenizer = TrainingSettings.build("pretokenize",
                    () -> new RdpmPretokenizer(tokenizer, QuantizationNoise.of(tokenizer, noiseSeed), batchSize));
            int steps = tokenizer.config().steps();
            int grid = tokenizer.config().tokenGrid();
            int shardCount = (train.count() + shardSize - 1) / shardSize;
            for (int i = 0; i < shardCount; i++) {
                int from = i * shardSize;
                int to = Math.min(train.count(), from + shardSize);
                int[] codes = pretokenizer.encode(train.slice(from, to), from, manager, done -> {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    int images = from + done;
                    ctx.progress((double) images / train.count(), String.format(
                            "quantizing: %d/%d images x %d steps (%.0f images/s)", images, train.count(), steps,
                            images / seconds), Map.of("images", images, "of", train.count()));
                });
                int[] labels = java.util.Arrays.copyOfRange(train.labels(), from, to);
                int count = to - from;
                String base = ctx.prefix() + "train/shard-" + String.format("%05d", i);
                ArtifactInfo codeInfo = ctx.write(base + "-codes.npy", NPY, out -> Npy.writeInt32(out, codes, count,
                        QuantizationNoise.FLIPS, steps, grid, grid));
                ArtifactInfo labelInfo = ctx.write(base + "-labels.npy", NPY, out -> Npy.writeInt32(out, labels, count));
                shards.add(new RdpmCodeManifest.Shard(count, codeInfo.key(), codeInfo.sha256(), labelInfo.key(),
                        labelInfo.sha256()));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        var c = tokenizer.config();
        RdpmCodeManifest manifest = new RdpmCodeManifest(train.count(), QuantizationNoise.FLIPS, c.steps(),
                c.tokenGrid(), c.codebookSize(), c.codeDim(), noiseSeed, data.classNames(), tokenizerKey, shards);
        String manifestKey = ctx.prefix() + "manifest.json";
        ArtifactInfo info = ctx.artifacts().putJson(manifestKey, manifest, ctx.key());
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("images", train.count());
        result.put("flips", QuantizationNoise.FLIPS);
        result.put("steps", c.steps());
        result.put("grid", c.tokenGrid());
        result.put("shards", shards.size());
        result.put("noise_seed", noiseSeed);
        result.put("images_per_second", train.count() / seconds);
        result.put("manifest_sha256", info.sha256());
        return new NodeOutput(Map.of(MANIFEST, manifestKey), result);
    }
}
