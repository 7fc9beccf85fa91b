package lab.d2c.workers.pretokenize;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.data.Npy;
import lab.d2c.model.pretokenize.Pretokenizer;
import lab.d2c.model.pretokenize.TokenShard;
import lab.d2c.model.runtime.Devices;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.model.tokenizer.VqTokenizer;
import lab.d2c.store.artifact.ArtifactInfo;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.dataset.DatasetShards;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.tokenizer.TokenizerSettings;
import lab.d2c.workers.tokenizer.TokenizerWeights;
import lab.d2c.workers.tokenizer.TrainVaeExecutor;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.PretokenizeNode;

/**
 * {@code pretokenize}: encodes every training image and its mirror with the trained VQ and
 * KL-VAE and writes token shards plus {@code manifest.json}. Inference only, so a retried attempt
 * rewrites the same bytes.
 */
public final class PretokenizeExecutor implements NodeExecutor {

    public static final String MANIFEST = "manifest";
    private static final String NPY = "application/x-npy";

    @Override
    public String kind() {
        return PretokenizeNode.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        int batchSize = TrainingSettings.integer(ctx, "pretokenize.batch_size");
        int shardSize = TrainingSettings.integer(ctx, "pretokenize.shard_size");
        DatasetManifest data = DatasetShards.manifest(ctx.artifacts(), ctx.task().input("dataset").artifact("manifest"));
        ImageSet train = DatasetShards.load(ctx.artifacts(), data, "train", 0);
        double latentScale = ModelWeights.resultNumber(ctx.task().input("vae"), TrainVaeExecutor.LATENT_SCALE);
        List<TokenManifest.Shard> shards = new ArrayList<>();
        long started = System.nanoTime();
        int grid;
        int codebookSize;
        int latentChannels;
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            VqTokenizer vq = TokenizerWeights.loadVq(ctx.artifacts(), ctx.task().input("vq"), manager);
            KlVae vae = TokenizerWeights.loadVae(ctx.artifacts(), ctx.task().input("vae"), manager);
            grid = vq.config().tokenGrid();
            codebookSize = vq.config().codebookSize();
            latentChannels = vae.config().latentChannels();
            Pretokenizer pretokenizer;
            try {
                pretokenizer = new Pretokenizer(vq, vae, batchSize);
            } catch (IllegalArgumentException e) {
                throw new lab.d2c.workers.node.BadNodeInputException("vq and vae: " + e.getMessage(), e);
            }
            int shardCount = (train.count() + shardSize - 1) / shardSize;
            for (int i = 0; i < shardCount; i++) {
                int from = i * shardSize;
                int to = Math.min(train.count(), from + shardSize);
                TokenShard shard = pretokenizer.encode(train.slice(from, to), manager, done -> {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    int images = from + done;
                    ctx.progress((double) images / train.count(), String.format("tokenizing: %d/%d images (%.0f images/s)",
                            images, train.count(), images / seconds), Map.of("images", images, "of", train.count()));
                });
                String base = ctx.prefix() + "train/shard-" + String.format("%05d", i);
                ArtifactInfo ids = ctx.write(base + "-ids.npy", NPY, out -> Npy.writeInt32(out, shard.ids(), shard.idsShape()));
                ArtifactInfo moments = ctx.write(base + "-moments.npy", NPY,
                        out -> Npy.writeFloat32(out, shard.moments(), shard.momentsShape()));
                ArtifactInfo labels = ctx.write(base + "-labels.npy", NPY, out -> Npy.writeInt32(out, shard.labels(), shard.count()));
                shards.add(new TokenManifest.Shard(shard.count(), ids.key(), ids.sha256(), moments.key(), moments.sha256(),
                        labels.key(), labels.sha256()));
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        TokenManifest manifest = new TokenManifest(train.count(), TokenShard.FLIPS, grid, codebookSize, latentChannels,
                latentScale, data.classNames(), ctx.task().input("vq").key(), ctx.task().input("vae").key(), shards);
        String manifestKey = ctx.prefix() + "manifest.json";
        ArtifactInfo info = ctx.artifacts().putJson(manifestKey, manifest, ctx.key());
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("images", train.count());
        result.put("flips", TokenShard.FLIPS);
        result.put("grid", grid);
        result.put("shards", shards.size());
        result.put("images_per_second", train.count() / seconds);
        result.put("manifest_sha256", info.sha256());
        return new NodeOutput(Map.of(MANIFEST, manifestKey), result);
    }
}
