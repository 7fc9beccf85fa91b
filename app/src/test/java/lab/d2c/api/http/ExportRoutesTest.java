package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GET /runs/{id}/metrics.csv and GET /sweeps/{id}/bundle.zip against the real stores ({@link RecordedSweep}):
 * the CSV holds the JSON route's points, the zip exactly the files its layout promises with the contents of
 * the other routes, each shared node's files once.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class ExportRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static LocalRuntime rt;
    private static String base;
    private static RecordedSweep sweep;

    @BeforeAll
    static void start() {
        rt = LocalRuntime.start(LocalStackFixture.freshConfig("export"), false, 1, LocalStackFixture.quiet());
        base = rt.api().baseUrl() + "/api/v1";
        sweep = RecordedSweep.record(rt, "smoke-export");
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    private static HttpResponse<byte[]> get(String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** metric,step,value rows parsed, header checked. */
    static List<String[]> csvRows(String csv) {
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("metric,step,value");
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }

    @Test
    void metricsCsvHoldsTheSamePointsAsTheJsonRoute() throws Exception {
        String run = sweep.trainer(sweep.arms().get(1));
        HttpResponse<byte[]> r = get("/runs/" + run + "/metrics.csv");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<String[]> rows = csvRows(new String(r.body(), StandardCharsets.UTF_8));
        assertThat(rows).hasSize(RecordedSweep.LR_POINTS + RecordedSweep.LOSS_POINTS);
        JsonNode series = JSON.readTree(get("/runs/" + run + "/metrics").body()).get("series");
        int i = 0;
        for (String metric : List.of("lr", "train/loss")) {
            for (JsonNode p : series.get(metric)) {
                String[] row = rows.get(i++);
                assertThat(row).hasSize(3);
                assertThat(row[0]).isEqualTo(metric);
                assertThat(Long.parseLong(row[1])).isEqualTo(p.get("step").asLong());
                assertThat(Double.parseDouble(row[2])).isEqualTo(p.get("value").asDouble());
            }
        }
        // seed 1's loss: 3.0 - 0.1 * step + 1
        assertThat(rows.get(rows.size() - 1)).containsExactly("train/loss", "20", String.valueOf(3.0 - 0.1 * 20 + 1));

        List<String[]> lr = csvRows(new String(get("/runs/" + run + "/metrics.csv?name=lr").body(), StandardCharsets.UTF_8));
        assertThat(lr).extracting(row -> row[0] + "@" + row[1]).containsExactly("lr@0", "lr@10");
        assertThat(new String(get("/runs/no-such-run/metrics.csv").body(), StandardCharsets.UTF_8))
                .isEqualTo("metric,step,value\n");
        assertThat(get("/runs/bad%20id/metrics.csv").statusCode()).isEqualTo(400);
    }

    @Test
    void theBundleHoldsReportConfigsLineageMetricsAndSamples() throws Exception {
        HttpResponse<byte[]> r = get("/sweeps/" + sweep.id() + "/bundle.zip");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/zip");
        assertThat(r.headers().firstValue("Content-Disposition").orElse(""))
                .isEqualTo("attachment; filename=\"" + sweep.id() + "-bundle.zip\"");
        assertThat(r.headers().firstValue("Content-Security-Policy").orElse("")).startsWith("sandbox");
        Map<String, byte[]> entries = unzip(r.body());

        String root = sweep.id() + "-bundle/";
        List<String> expected = new ArrayList<>(List.of(root + "README.txt", root + "sweep.json", root + "spec.yaml",
                root + "report.json", root + "report.csv", root + "comparisons.csv"));
        for (String arm : sweep.arms()) {
            expected.add(root + "experiments/" + arm + "/config.json");
            expected.add(root + "experiments/" + arm + "/lineage.json");
        }
        expected.add(root + "metrics/" + sweep.shared() + ".csv");
        sweep.arms().forEach(arm -> expected.add(root + "metrics/" + sweep.trainer(arm) + ".csv"));
        // only PNG artifacts: the sample node's .npy and the tokenizer's weights are not samples
        sweep.arms().forEach(arm -> expected.add(root + "samples/" + arm + "-sample/grid.png"));
        assertThat(entries.keySet()).containsExactlyInAnyOrderElementsOf(expected);

        assertThat(text(entries, root + "report.csv")).isEqualTo(new String(get("/sweeps/" + sweep.id() + "/report.csv")
                .body(), StandardCharsets.UTF_8));
        assertThat(JSON.readTree(entries.get(root + "report.json")))
                .isEqualTo(JSON.readTree(get("/sweeps/" + sweep.id() + "/report").body()));
        assertThat(text(entries, root + "spec.yaml")).isEqualTo(lab.d2c.workflows.spec.BundledSweeps.read("smoke"));
        assertThat(JSON.readTree(entries.get(root + "sweep.json")).at("/spec/name").asText()).isEqualTo("smoke");

        String arm1 = sweep.arms().get(1);
        JsonNode experiment = JSON.readTree(get("/experiments/" + arm1).body());
        assertThat(JSON.readTree(entries.get(root + "experiments/" + arm1 + "/config.json"))).isEqualTo(experiment.get("config"));
        JsonNode lineage = JSON.readTree(entries.get(root + "experiments/" + arm1 + "/lineage.json"));
        assertThat(lineage.get("id").asText()).isEqualTo(arm1);
        List<String> keys = new ArrayList<>();
        lineage.get("nodes").forEach(n -> keys.add(n.get("key").asText()));
        assertThat(keys).containsExactly(sweep.shared(), sweep.trainer(arm1), arm1 + "-sample", arm1 + "-evaluate");
        assertThat(lineage.at("/nodes/0/cache_hit").asBoolean()).as("the second arm got the tokenizer from the cache").isTrue();
        assertThat(lineage.at("/nodes/2/artifact_keys/grid").asText()).isEqualTo(sweep.sampleKey(arm1));
        assertThat(lineage.at("/nodes/3/result/metrics/fid-shapes-cls").asDouble()).isEqualTo(RecordedSweep.fid(1));

        assertThat(csvRows(text(entries, root + "metrics/" + sweep.trainer(arm1) + ".csv")))
                .hasSize(RecordedSweep.LR_POINTS + RecordedSweep.LOSS_POINTS);
        assertThat(csvRows(text(entries, root + "metrics/" + sweep.shared() + ".csv")))
                .extracting(row -> String.join(",", row)).containsExactly("train/loss,0,2.5", "train/loss,20,1.5");
        assertThat(entries.get(root + "samples/" + arm1 + "-sample/grid.png")).isEqualTo(sweep.png());
    }

    @Test
    void anUnknownSweepIsA404InTheErrorShape() throws Exception {
        HttpResponse<byte[]> r = get("/sweeps/no-such-sweep/bundle.zip");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(r.body()).at("/error/message").asText()).isEqualTo("sweep 'no-such-sweep' does not exist");
    }

    private static String text(Map<String, byte[]> entries, String name) {
        assertThat(entries).containsKey(name);
        return new String(entries.get(name), StandardCharsets.UTF_8);
    }

    static Map<String, byte[]> unzip(byte[] zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                assertThat(out.put(e.getName(), in.readAllBytes())).as("entry %s once", e.getName()).isNull();
            }
        }
        return out;
    }
}
