package lab.d2c.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.store.db.Evaluation;
import lab.d2c.store.db.EvaluationRepository;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workflows.spec.Arm;
import lab.d2c.workflows.spec.BundledSweeps;
import lab.d2c.workflows.spec.SweepSpec;
import lab.d2c.workflows.spec.SweepSpecParser;

/**
 * A smoke sweep (one arm, two seeds) recorded straight into PostgreSQL and S3 as its nodes would leave it, no
 * workflow running, for the export routes and the CLI that reads them. Each arm links a tokenizer node both
 * share (the second from the cache), its own trainer with {@code lr} and {@code train/loss} series, a sample
 * node with a PNG sheet and a non-PNG array, and an evaluate node that scored {@code fid-shapes-cls}.
 *
 * @param id     the sweep id
 * @param arms   its experiment ids, by arm index
 * @param shared the shared tokenizer node's key
 * @param png    the bytes of every arm's sample sheet
 */
public record RecordedSweep(String id, List<String> arms, String shared, byte[] png) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Points of the trainer's series: lr at steps 0 and 10, train/loss at 0, 5, ..., 20. */
    public static final int LR_POINTS = 2;
    public static final int LOSS_POINTS = 5;

    public String trainer(String arm) {
        return arm + "-train";
    }

    public String sampleKey(String arm) {
        return "nodes/" + arm + "-sample/samples.png";
    }

    /** The FID the arm's evaluate node scored: 40 + 4 x seed (seeds are 0 and 1 in the smoke sweep's order). */
    public static double fid(long seed) {
        return 40.0 + 4 * seed;
    }

    public static RecordedSweep record(LocalRuntime rt, String id) {
        try {
            return recordChecked(rt, id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RecordedSweep recordChecked(LocalRuntime rt, String id) throws IOException {
        DataSource ds = rt.platform().database().dataSource();
        String specText = BundledSweeps.read("smoke");
        SweepSpec spec = SweepSpecParser.parse(specText);
        List<Arm> arms = spec.expand(SweepSpecParser.DEFAULT_MAX_ARMS);
        String specJson = JSON.writeValueAsString(spec);
        rt.platform().database().inTransaction(c -> {
            new SweepRepository(ds).insert(c, SweepRecord.pending(id, spec.name(), specText, specJson, arms.size(),
                    "sweep-" + id));
            for (Arm arm : arms) {
                new ExperimentRepository(ds).insert(c, ExperimentRecord.pending(id + "-a" + arm.index(), id, arm.index(),
                        arm.name(), arm.seed(), arm.params().toString(), arm.config().toString(),
                        "experiment-" + id + "-a" + arm.index()));
            }
            return null;
        });
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0xff8800);
        ByteArrayOutputStream pngOut = new ByteArrayOutputStream();
        ImageIO.write(img, "png", pngOut);
        byte[] png = pngOut.toByteArray();
        NodeRepository nodes = new NodeRepository(ds);
        MetricsRepository metrics = new MetricsRepository(ds);
        String shared = id + "-tokenizer";
        nodes.register(NodeRecord.pending(shared, "train-vq", "{\"steps\": 20}", "{}", 1));
        nodes.markRunning(shared, "test-worker");
        nodes.markSucceeded(shared, Map.of("weights", "nodes/" + shared + "/weights.bin"), "{}", 10L);
        metrics.upsertBatch(List.of(new MetricPoint(shared, "train/loss", 0, 2.5), new MetricPoint(shared, "train/loss", 20, 1.5)));
        List<String> ids = new ArrayList<>();
        boolean first = true;
        for (ExperimentRecord e : new ExperimentRepository(ds).listBySweep(id)) {
            ids.add(e.id());
            nodes.linkExperiment(e.id(), shared, !first);
            first = false;
            String train = e.id() + "-train";
            succeed(nodes, e, train, "train-stage2", Map.of(), "{}");
            List<MetricPoint> points = new ArrayList<>();
            points.add(new MetricPoint(train, "lr", 0, 1e-3));
            points.add(new MetricPoint(train, "lr", 10, 5e-4));
            for (int step = 0; step <= 20; step += 5) {
                points.add(new MetricPoint(train, "train/loss", step, 3.0 - 0.1 * step + e.seed()));
            }
            metrics.upsertBatch(points);
            String prefix = "nodes/" + e.id() + "-sample/";
            rt.platform().artifacts().putBytes(prefix + "samples.png", png, "image/png", null);
            rt.platform().artifacts().putBytes(prefix + "samples.npy", new byte[] {1, 2, 3}, "application/octet-stream",
                    null);
            succeed(nodes, e, e.id() + "-sample", "sample", Map.of("grid", prefix + "samples.png",
                    "samples", prefix + "samples.npy"), "{}");
            succeed(nodes, e, e.id() + "-evaluate", "evaluate", Map.of(),
                    "{\"metrics\": {\"fid-shapes-cls\": " + fid(e.seed()) + "}}");
            new EvaluationRepository(ds).upsertAll(List.of(
                    new Evaluation(e.id() + "-evaluate", "fid-shapes-cls", fid(e.seed()), "{}")));
        }
        return new RecordedSweep(id, List.copyOf(ids), shared, png);
    }

    private static void succeed(NodeRepository nodes, ExperimentRecord e, String key, String kind,
            Map<String, String> artifacts, String result) {
        nodes.register(NodeRecord.pending(key, kind, "{}", "{}", 1));
        nodes.linkExperiment(e.id(), key, false);
        nodes.markRunning(key, "test-worker");
        nodes.markSucceeded(key, artifacts, result, 10L);
    }
}
