package lab.d2c.workers.dataset;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.d2c.model.data.DataConfig;
import lab.d2c.model.data.Datasets;
import lab.d2c.model.data.FashionMnist;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.data.Npy;
import lab.d2c.store.artifact.ArtifactInfo;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workflows.graph.PrepareDatasetNode;

/**
 * {@code prepare-dataset}: loads the train and test splits at the configured resolution and
 * writes them as .npy shards plus {@code manifest.json} with per-class counts and sha256 of
 * every shard. Rewriting the same keys on a retry yields identical bytes.
 */
public final class PrepareDatasetExecutor implements NodeExecutor {

    public static final String MANIFEST = "manifest";
    private static final String NPY = "application/x-npy";

    @Override
    public String kind() {
        return PrepareDatasetNode.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        DataConfig cfg = DataConfigs.from(ctx);
        Map<String, DatasetManifest.Split> splits = new LinkedHashMap<>();
        List<String> classNames = List.of();
        FashionMnist.Split[] order = {FashionMnist.Split.TRAIN, FashionMnist.Split.TEST};
        for (int s = 0; s < order.length; s++) {
            String name = order[s] == FashionMnist.Split.TRAIN ? "train" : "test";
            ctx.progress(s / 2.0, "loading " + name + " split of " + cfg.dataset());
            ImageSet set = Datasets.load(cfg, order[s]);
            classNames = set.classNames();
            List<DatasetManifest.Shard> shards = new ArrayList<>();
            int shardCount = (set.count() + cfg.shardSize() - 1) / cfg.shardSize();
            for (int i = 0; i < shardCount; i++) {
                ImageSet part = set.slice(i * cfg.shardSize(), Math.min(set.count(), (i + 1) * cfg.shardSize()));
                String base = ctx.prefix() + name + "/shard-" + String.format("%05d", i);
                ArtifactInfo images = ctx.write(base + "-images.npy", NPY, out -> Npy.writeUint8(out, part.pixels(),
                        part.count(), part.channels(), part.height(), part.width()));
                ArtifactInfo labels = ctx.write(base + "-labels.npy", NPY, out -> Npy.writeInt32(out, part.labels(), part.count()));
                shards.add(new DatasetManifest.Shard(part.count(), images.key(), images.sha256(), labels.key(), labels.sha256()));
                ctx.progress((s + (i + 1.0) / shardCount) / 2.0, "wrote " + name + " shard " + (i + 1) + "/" + shardCount);
            }
            splits.put(name, new DatasetManifest.Split(set.count(), set.countsPerClass(), shards));
        }
        DatasetManifest manifest = new DatasetManifest(cfg.dataset(), cfg.imageSize(), cfg.channels(), classNames,
                "x / 127.5 - 1", splits);
        String manifestKey = ctx.prefix() + "manifest.json";
        ArtifactInfo info = ctx.write(manifestKey, "application/json",
                out -> out.write(NodeContext.toJson(manifest).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("dataset", cfg.dataset());
        result.put("train_count", splits.get("train").count());
        result.put("test_count", splits.get("test").count());
        result.put("manifest_sha256", info.sha256());
        ctx.progress(1.0, "done");
        return new NodeOutput(Map.of(MANIFEST, manifestKey), result);
    }
}
