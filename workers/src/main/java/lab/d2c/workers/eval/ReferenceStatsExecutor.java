package lab.d2c.workers.eval;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.eval.FeatureExtractor;
import lab.d2c.model.eval.FeatureSet;
import lab.d2c.model.eval.GaussianStats;
import lab.d2c.model.runtime.Devices;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.dataset.DatasetShards;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.ReferenceStatsNode;

/**
 * {@code reference-stats}: features of {@code eval.reference_images} images of the
 * {@code eval.reference_split} split (0 = all) through the extractor, written as
 * {@code features.npy} (float32 [n, d], for precision/recall), {@code mean.npy} and
 * {@code covariance.npy} (float64, pytorch-fid's mu and sigma). Deterministic, so a retry redoes it.
 */
public final class ReferenceStatsExecutor implements NodeExecutor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String kind() {
        return ReferenceStatsNode.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        long started = System.nanoTime();
        DatasetManifest data = DatasetShards.manifest(ctx.artifacts(), ctx.task().input("dataset").artifact("manifest"));
        String split = ctx.required("eval.reference_split").asText();
        int limit = TrainingSettings.integer(ctx, "eval.reference_images");
        int batch = TrainingSettings.integer(ctx, "eval.batch_size");
        ctx.progress(0, "loading the " + split + " split");
        ImageSet images = DatasetShards.load(ctx.artifacts(), data, split, limit);
        ImageBatches batches = new ImageBatches(images);
        String prefix = ctx.prefix();
        ObjectNode result = JSON.createObjectNode();
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()));
                FeatureExtractor extractor = Extractors.open(ctx, data.dataset(), manager)) {
            FeatureSet features = FeatureSet.extract(extractor, manager, images.count(), batch,
                    (m, range) -> batches.images(m, range[0], range[1]),
                    (done, total) -> ctx.progress(0.95 * done / total, String.format("features of %d/%d %s images",
                            done, total, split), Map.of("images", done, "total", total)));
            GaussianStats stats = GaussianStats.of(features.features());
            ctx.write(prefix + "features.npy", ArtifactStore.OCTET_STREAM, features::writeFeatures);
            ctx.write(prefix + "mean.npy", ArtifactStore.OCTET_STREAM, stats::writeMean);
            ctx.write(prefix + "covariance.npy", ArtifactStore.OCTET_STREAM, stats::writeCovariance);
            result.put("extractor", extractor.name());
            result.put("feature_dim", stats.dimension());
        }
        result.put("dataset", data.dataset());
        result.put("split", split);
        result.put("count", images.count());
        result.put("seconds", (System.nanoTime() - started) / 1e9);
        ctx.progress(1.0, "done: " + images.count() + " " + split + " images");
        return new NodeOutput(Map.of("features", prefix + "features.npy", "mean", prefix + "mean.npy",
                "covariance", prefix + "covariance.npy"), result);
    }
}
