package lab.d2c.workers.eval;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.data.Npy;
import lab.d2c.model.eval.FeatureExtractor;
import lab.d2c.model.eval.FeatureSet;
import lab.d2c.model.eval.FidBootstrap;
import lab.d2c.model.eval.FrechetDistance;
import lab.d2c.model.eval.GaussianStats;
import lab.d2c.model.eval.InceptionScore;
import lab.d2c.model.eval.PrecisionRecall;
import lab.d2c.model.runtime.Devices;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.Evaluation;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.EvaluateNode;
import lab.d2c.workflows.node.NodeResult;
import org.ejml.data.DMatrixRMaj;

/**
 * {@code evaluate}: features of the images of its {@code images} input ({@code samples.npy} of
 * sample, sample-rdpm or decode-stage1) through the extractor; then against {@code reference-stats}: FID
 * ({@code fid-<extractor>}), Inception Score mean and spread over {@code eval.is_splits}
 * ({@code is-<extractor>}, {@code is_std-<extractor>} when splits > 1; only with logits), precision and recall with
 * {@code eval.pr_k} neighbours. With {@code eval.bootstrap} B > 0, FID's own sampling error: B
 * bootstrap replicates over the images ({@link FidBootstrap}, seeded from the node key so a rerun
 * gives the same numbers), as {@code fid_std_boot-<extractor>}, {@code fid_ci_low-<extractor>} and
 * {@code fid_ci_high-<extractor>} (the basic 95% interval, which subtracts the bootstrap's bias estimate), and the replicates in
 * {@code fid_bootstrap.json} (role {@code fid_bootstrap}) so that the report can difference two arms.
 * The rows go to the evaluations table in one transaction with the images' sampling settings; the
 * features to {@code features.npy}.
 */
public final class EvaluateExecutor implements NodeExecutor {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String kind() {
        return EvaluateNode.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        long started = System.nanoTime();
        NodeResult source = ctx.task().input("images");
        NodeResult reference = ctx.task().input("reference");
        JsonNode referenceResult = JSON.readTree(reference.resultJson());
        JsonNode sourceResult = JSON.readTree(source.resultJson());
        int batch = TrainingSettings.integer(ctx, "eval.batch_size");
        int splits = TrainingSettings.integer(ctx, "eval.is_splits");
        int k = TrainingSettings.integer(ctx, "eval.pr_k");
        int bootstrap = TrainingSettings.integer(ctx, "eval.bootstrap");
        if (bootstrap == 1 || bootstrap < 0) {
            throw new BadNodeInputException("eval.bootstrap: " + bootstrap + " replicates give no spread; use 0 (off) "
                    + "or at least 2");
        }
        ImageSet images = samples(ctx, source);
        if (images.count() <= k || images.count() < splits) {
            throw new BadNodeInputException("eval: " + images.count() + " images are too few for eval.pr_k " + k
                    + " and eval.is_splits " + splits + "; sample more images");
        }
        ImageBatches batches = new ImageBatches(images);
        String prefix = ctx.prefix();
        Map<String, Double> metrics = new LinkedHashMap<>();
        String name;
        boolean offsetUsed;
        FidBootstrap.Result boot = null;
        long bootSeed = bootstrapSeed(ctx.key());
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()));
                FeatureExtractor extractor = Extractors.open(ctx, referenceResult.path("dataset").asText(), manager)) {
            name = extractor.name();
            if (!name.equals(referenceResult.path("extractor").asText())) {
                throw new IllegalStateException("reference statistics were computed with "
                        + referenceResult.path("extractor").asText() + ", the images with " + name);
            }
            FeatureSet features = FeatureSet.extract(extractor, manager, images.count(), batch,
                    (m, range) -> batches.images(m, range[0], range[1]),
                    (done, total) -> ctx.progress(0.8 * done / total, String.format("features of %d/%d images", done,
                            total), Map.of("images", done, "total", total)));
            ctx.write(prefix + "features.npy", ArtifactStore.OCTET_STREAM, features::writeFeatures);
            ctx.progress(0.85, "Fréchet distance against " + referenceResult.path("count").asInt() + " reference images");
            GaussianStats real;
            try (InputStream mean = ctx.artifacts().get(reference.artifact("mean"));
                    InputStream cov = ctx.artifacts().get(reference.artifact("covariance"))) {
                real = GaussianStats.read(mean, cov, referenceResult.path("count").asInt());
            }
            FrechetDistance.Result fid = FrechetDistance.between(GaussianStats.of(features.features()), real);
            offsetUsed = fid.offsetUsed();
            metrics.put("fid-" + name, fid.value());
            if (bootstrap > 0) {
                ctx.progress(0.87, "bootstrap of FID: " + bootstrap + " replicates");
                boot = FidBootstrap.of(features.features(), real, bootstrap, bootSeed);
                metrics.put("fid_std_boot-" + name, boot.std());
                metrics.put("fid_ci_low-" + name, boot.low());
                metrics.put("fid_ci_high-" + name, boot.high());
            }
            if (features.probabilities() != null) {
                InceptionScore.Result is = InceptionScore.of(features.probabilities(), splits);
                metrics.put("is-" + name, is.mean());
                if (splits > 1) { // one split has no spread: a column of zeros would read as a measurement
                    metrics.put("is_std-" + name, is.std());
                }
            }
            ctx.progress(0.9, "precision and recall (k = " + k + ")");
            DMatrixRMaj realFeatures;
            try (InputStream in = ctx.artifacts().get(reference.artifact("features"))) {
                realFeatures = FeatureSet.readFeatures(in);
            }
            PrecisionRecall.Result pr = PrecisionRecall.of(realFeatures, features.features(), k);
            metrics.put("precision-" + name, pr.precision());
            metrics.put("recall-" + name, pr.recall());
        }
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put("features", prefix + "features.npy");
        if (boot != null) {
            ObjectNode replicates = JSON.createObjectNode();
            replicates.put("metric", "fid-" + name);
            replicates.put("count", images.count());
            replicates.put("seed", bootSeed);
            replicates.put("level", FidBootstrap.LEVEL);
            replicates.put("estimate", boot.estimate());
            replicates.put("std", boot.std());
            replicates.put("interval", "basic");
            replicates.put("low", boot.low());
            replicates.put("high", boot.high());
            replicates.put("percentile_low", boot.percentileLow());
            replicates.put("percentile_high", boot.percentileHigh());
            com.fasterxml.jackson.databind.node.ArrayNode values = replicates.putArray("replicates");
            for (double v : boot.replicates()) {
                values.add(v);
            }
            byte[] bytes = JSON.writeValueAsBytes(replicates);
            ctx.write(prefix + "fid_bootstrap.json", ArtifactStore.JSON_TYPE, out -> out.write(bytes));
            artifacts.put("fid_bootstrap", prefix + "fid_bootstrap.json");
        }
        ObjectNode settings = settings(source, sourceResult, images.count());
        String settingsJson = JSON.writeValueAsString(settings);
        List<Evaluation> rows = new ArrayList<>();
        metrics.forEach((metric, value) -> rows.add(new Evaluation(ctx.key(), metric, value, settingsJson)));
        ctx.evaluations().upsertAll(rows);

        ObjectNode result = JSON.createObjectNode();
        result.put("extractor", name);
        result.put("images", source.kind());
        result.put("count", images.count());
        result.put("reference_count", referenceResult.path("count").asInt());
        result.put("fid_offset_used", offsetUsed);
        result.put("bootstrap", bootstrap);
        if (boot != null) {
            result.put("bootstrap_seed", bootSeed);
        }
        ObjectNode m = result.putObject("metrics");
        metrics.forEach(m::put);
        result.set("settings", settings);
        result.put("seconds", (System.nanoTime() - started) / 1e9);
        ctx.progress(1.0, String.format("done: FID %.3f (%s)", metrics.get("fid-" + name), name));
        return new NodeOutput(artifacts, result);
    }

    /**
     * The bootstrap's seed: the first 8 bytes of SHA-256 over the node key, which already hashes the
     * config (run seed included), so a rerun of the node draws the same replicates and two arms draw
     * independent ones.
     */
    static long bootstrapSeed(String nodeKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("fid-bootstrap:" + nodeKey).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** What the images were sampled with, for the evaluations table and the report's curves. */
    private static ObjectNode settings(NodeResult source, JsonNode sourceResult, int count) {
        ObjectNode s = JSON.createObjectNode();
        s.put("images", source.kind());
        s.put("count", count);
        JsonNode sampling = sourceResult.path("sampling");
        if (sampling.isObject()) {
            s.set("sampling", sampling);
        }
        JsonNode stage1 = sourceResult.path("stage1_sampling");
        if (stage1.isObject()) {
            s.set("stage1_sampling", stage1);
        }
        if (sourceResult.has("fusion")) {
            s.put("fusion", sourceResult.get("fusion").asText());
        }
        return s;
    }

    /** The uint8 [n, C, H, W] images and int32 labels the source node wrote. */
    private static ImageSet samples(NodeContext ctx, NodeResult source) throws IOException {
        Npy.Array pixels;
        Npy.Array labels;
        try (InputStream in = ctx.artifacts().get(source.artifact("samples"))) {
            pixels = Npy.read(in);
        }
        try (InputStream in = ctx.artifacts().get(source.artifact("labels"))) {
            labels = Npy.read(in);
        }
        int[] shape = pixels.shape();
        if (shape.length != 4 || !pixels.dtype().endsWith("u1")) {
            throw new IllegalStateException("samples of " + source.key() + " are not uint8 [n, C, H, W]");
        }
        int[] l = labels.asInts();
        int classes = 1;
        for (int label : l) {
            classes = Math.max(classes, label + 1);
        }
        return new ImageSet(shape[0], shape[1], shape[2], shape[3], pixels.data(), l,
                Collections.nCopies(classes, "class"));
    }
}
