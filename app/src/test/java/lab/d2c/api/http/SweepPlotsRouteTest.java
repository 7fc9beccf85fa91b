package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import javax.sql.DataSource;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GET /sweeps/{id}/plots, /plots/{name}.png and /plots.zip against the real stores: a smoke sweep (one arm,
 * two seeds) recorded straight into PostgreSQL and S3 as its nodes would leave it (training loss, samples,
 * evaluate scores), no workflow running. The PNGs are sandboxed as artifacts are, of the stated size.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class SweepPlotsRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static LocalRuntime rt;
    private static String base;
    private static DataSource ds;
    private static String sweepId;

    @BeforeAll
    static void start() throws Exception {
        rt = LocalRuntime.start(LocalStackFixture.freshConfig("plots"), false, 1, LocalStackFixture.quiet());
        base = rt.api().baseUrl() + "/api/v1";
        ds = rt.platform().database().dataSource();
        sweepId = recordScoredSmoke();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    private static byte[] npy(String dtype, String shape, byte[] payload) throws Exception {
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] text = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length, (byte) (text.length >> 8)});
        out.write(text);
        out.write(payload);
        return out.toByteArray();
    }

    /** Each seed: a train-stage2 node with a loss series, a sample node with 4 classes x 3 images, an evaluate node. */
    private static String recordScoredSmoke() throws Exception {
        String specText = BundledSweeps.read("smoke");
        SweepSpec spec = SweepSpecParser.parse(specText);
        List<Arm> arms = spec.expand(SweepSpecParser.DEFAULT_MAX_ARMS);
        String id = "smoke-plots";
        String specJson = JSON.writeValueAsString(spec);
        rt.platform().database().inTransaction(c -> {
            new SweepRepository(ds).insert(c, SweepRecord.pending(id, spec.name(), specText, specJson,
                    arms.size(), "sweep-" + id));
            for (Arm arm : arms) {
                new ExperimentRepository(ds).insert(c, ExperimentRecord.pending(id + "-a" + arm.index(), id, arm.index(),
                        arm.name(), arm.seed(), arm.params().toString(), arm.config().toString(),
                        "experiment-" + id + "-a" + arm.index()));
            }
            return null;
        });
        NodeRepository nodes = new NodeRepository(ds);
        for (ExperimentRecord e : new ExperimentRepository(ds).listBySweep(id)) {
            String train = e.id() + "-train";
            succeed(nodes, e, train, "train-stage2", Map.of());
            List<MetricPoint> loss = new ArrayList<>();
            for (int step = 0; step <= 20; step += 5) {
                loss.add(new MetricPoint(train, "train/loss", step, 3.0 - 0.1 * step + e.seed()));
            }
            new MetricsRepository(ds).upsertBatch(loss);
            int n = 12;
            ByteBuffer labels = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                labels.putInt(i % 4);
            }
            byte[] pixels = new byte[n * 32 * 32];
            String prefix = "nodes/" + e.id() + "-sample/";
            rt.platform().artifacts().putBytes(prefix + "samples.npy", npy("|u1", n + ", 1, 32, 32", pixels),
                    "application/octet-stream", null);
            rt.platform().artifacts().putBytes(prefix + "labels.npy", npy("<i4", n + ",", labels.array()),
                    "application/octet-stream", null);
            succeed(nodes, e, e.id() + "-sample", "sample", Map.of("samples", prefix + "samples.npy",
                    "labels", prefix + "labels.npy"));
            succeed(nodes, e, e.id() + "-evaluate", "evaluate", Map.of());
            new EvaluationRepository(ds).upsertAll(List.of(
                    new Evaluation(e.id() + "-evaluate", "fid-shapes-cls", 40.0 + 4 * e.seed(), "{}")));
        }
        return id;
    }

    private static void succeed(NodeRepository nodes, ExperimentRecord e, String key, String kind, Map<String, String> artifacts) {
        nodes.register(NodeRecord.pending(key, kind, "{}", "{}", 1));
        nodes.linkExperiment(e.id(), key, false);
        nodes.markRunning(key, "test-worker");
        nodes.markSucceeded(key, artifacts, "{}", 10L);
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theListNamesEachPlotTheSweepHas() throws Exception {
        JsonNode list = JSON.readTree(get("/sweeps/" + sweepId + "/plots").body());
        List<String> names = new ArrayList<>();
        list.get("plots").forEach(p -> names.add(p.get("name").asText()));
        assertThat(names).containsExactly("fid-shapes-cls", "loss", "samples-1");
        assertThat(list.get("plots").get(0).get("url").asText()).isEqualTo("/api/v1/sweeps/" + sweepId + "/plots/fid-shapes-cls.png");
        assertThat(list.get("zip").asText()).isEqualTo("/api/v1/sweeps/" + sweepId + "/plots.zip");
    }

    @Test
    void aPlotIsASandboxedPngOfTheStatedSize() throws Exception {
        for (String name : List.of("fid-shapes-cls", "loss", "samples-1")) {
            HttpResponse<byte[]> r = get("/sweeps/" + sweepId + "/plots/" + name + ".png");
            assertThat(r.statusCode()).as(name).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("image/png");
            assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).startsWith("sandbox");
            assertThat(r.headers().firstValue("X-Content-Type-Options").orElse("")).isEqualTo("nosniff");
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(r.body()));
            assertThat(img).as(name).isNotNull();
            if (!name.startsWith("samples")) {
                assertThat(img.getWidth()).isEqualTo(960);
                assertThat(img.getHeight()).isEqualTo(540);
            } else {
                // 4 classes of 32 x 32 images, doubled, the title's minimum width; 10 rows
                assertThat(img.getWidth()).isEqualTo(420);
                assertThat(img.getHeight()).isEqualTo(68 + 2 + 10 * (64 + 2));
            }
        }
        assertThat(get("/sweeps/" + sweepId + "/plots/nothing.png").statusCode()).isEqualTo(404);
        assertThat(get("/sweeps/no-such-sweep/plots/loss.png").statusCode()).isEqualTo(404);
    }

    @Test
    void theZipHoldsEveryPlot() throws Exception {
        HttpResponse<byte[]> r = get("/sweeps/" + sweepId + "/plots.zip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/zip");
        assertThat(r.headers().firstValue("Content-Disposition").orElse("")).contains("attachment");
        List<String> entries = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(r.body()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.add(e.getName());
                assertThat(ImageIO.read(new ByteArrayInputStream(zip.readAllBytes()))).as(e.getName()).isNotNull();
            }
        }
        assertThat(entries).containsExactly(sweepId + "-plots/fid-shapes-cls.png", sweepId + "-plots/loss.png",
                sweepId + "-plots/samples-1.png");
    }
}
