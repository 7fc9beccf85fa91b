package lab.d2c.app.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.api.http.Http;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.workflows.spec.BundledSweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Local mode as a user runs it: the embedded PostgreSQL, S3 server and Temporal service, a
 * worker and the API in one process; the bundled smoke sweep over HTTP; then a restart on
 * the same data dir keeps the sweep and its artifacts.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class LocalModeEndToEndTest {

    @Test
    void smokeSweepRunsSharesItsDatasetNodeAndSurvivesARestart() throws Exception {
        D2cConfig cfg = LocalStackFixture.freshConfig("e2e");
        String sweepId;
        String manifestKey;
        byte[] manifest;
        try (LocalRuntime rt = LocalRuntime.start(cfg, true, 1, LocalStackFixture.quiet())) {
            String base = rt.api().baseUrl();
            Http.Response created = Http.post(base + "/api/v1/sweeps", BundledSweeps.read("smoke"), "application/yaml",
                    rt.apiToken().value());
            assertThat(created.status()).isEqualTo(201);
            sweepId = created.json().get("id").asText();
            assertThat(created.json().get("arm_count").asInt()).isEqualTo(2);

            JsonNode sweep = Http.awaitSweep(base, sweepId, Duration.ofMinutes(3));
            assertThat(sweep.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(sweep.get("progress").asDouble()).isEqualTo(1.0);
            int hits = 0;
            for (JsonNode arm : sweep.get("experiments")) {
                assertThat(arm.get("status").asText()).isEqualTo("SUCCEEDED");
                hits += arm.get("cache_hits").asInt();
            }
            // dataset, two tokenizers, pretokenize, both trainings, stage one's predictions, the classifier
            // and the reference statistics do not read the run seed: the second arm's requests for all
            // nine are cache hits (decode-stage1 and sample use the seed, evaluate scores its samples)
            assertThat(hits).as("one cache hit per shared node").isEqualTo(9);
            // the report pools the two seeds of the one arm; the CSV has the same table
            JsonNode report = Http.get(base + "/api/v1/sweeps/" + sweepId + "/report").json();
            assertThat(report.get("rows")).hasSize(1);
            assertThat(report.at("/rows/0/seeds").toString()).isEqualTo("[0,1]");
            assertThat(report.at("/rows/0/values/fid-shapes-cls/n").asInt()).isEqualTo(2);
            assertThat(report.at("/rows/0/values/fid-shapes-cls/mean").asDouble()).isPositive();
            assertThat(report.get("metrics").toString()).contains("fid-shapes-cls", "is-shapes-cls",
                    "precision-shapes-cls", "recall-shapes-cls");
            // the generators the scored images come from, with their budget and convergence verdict
            JsonNode trained = report.at("/rows/0/training/train-stage2");
            assertThat(trained.get("steps").asLong()).as(report.at("/rows/0/training").toString()).isEqualTo(20);
            assertThat(trained.get("items_seen").asLong()).isEqualTo(20 * 16);
            assertThat(trained.get("final_val_loss").asDouble()).isPositive();
            assertThat(trained.get("judged_runs").asInt()).isEqualTo(1);
            assertThat(report.at("/rows/0/training/train-stage1/steps").asLong()).isEqualTo(20);
            Http.Response csv = Http.get(base + "/api/v1/sweeps/" + sweepId + "/report.csv");
            assertThat(csv.status()).isEqualTo(200);
            assertThat(new String(csv.bytes())).startsWith("arm,seeds,done,fid-shapes-cls_mean,fid-shapes-cls_std");
            assertThat(Http.get(base + "/api/v1/sweeps/nope-123/report").status()).isEqualTo(404);

            List<String> keys = new ArrayList<>();
            List<String> decoded = new ArrayList<>();
            List<String> sampled = new ArrayList<>();
            String stage1 = null;
            String stage2 = null;
            for (JsonNode arm : sweep.get("experiments")) {
                JsonNode exp = Http.get(base + "/api/v1/experiments/" + arm.get("id").asText()).json();
                for (JsonNode n : exp.get("nodes")) {
                    switch (n.get("kind").asText()) {
                        case "prepare-dataset" -> keys.add(n.get("key").asText());
                        case "decode-stage1" -> decoded.add(n.get("key").asText());
                        case "train-stage1" -> stage1 = n.get("key").asText();
                        case "train-stage2" -> stage2 = n.get("key").asText();
                        case "sample" -> sampled.add(n.get("key").asText());
                        default -> { }
                    }
                }
            }
            // stage one's loss curve is in PostgreSQL, served by the API
            JsonNode curve = Http.get(base + "/api/v1/runs/" + stage1 + "/metrics?name=train/loss").json();
            assertThat(curve.at("/series/train~1loss")).hasSize(4);
            // each arm's discrete-only samples are reachable through the API, as a PNG sheet
            assertThat(decoded).hasSize(2).doesNotHaveDuplicates();
            JsonNode decodeNode = Http.get(base + "/api/v1/nodes/" + decoded.get(0)).json();
            Http.Response png = Http.get(base + "/api/v1/artifacts/" + decodeNode.get("artifact_keys").get("grid").asText());
            assertThat(png.status()).isEqualTo(200);
            assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.bytes())).getWidth())
                    .isEqualTo(4 * 33 + 1);
            // and so are stage two's loss curve and each arm's D2C samples
            JsonNode curve2 = Http.get(base + "/api/v1/runs/" + stage2 + "/metrics?name=train/loss").json();
            assertThat(curve2.at("/series/train~1loss")).hasSize(4);
            assertThat(sampled).hasSize(2).doesNotHaveDuplicates();
            JsonNode sampleNode = Http.get(base + "/api/v1/nodes/" + sampled.get(1)).json();
            Http.Response sheet = Http.get(base + "/api/v1/artifacts/" + sampleNode.get("artifact_keys").get("grid")
                    .asText());
            assertThat(sheet.status()).isEqualTo(200);
            assertThat(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(sheet.bytes())).getWidth())
                    .isEqualTo(4 * 33 + 1);
            assertThat(keys.get(0)).isEqualTo(keys.get(1));
            JsonNode node = Http.get(base + "/api/v1/nodes/" + keys.get(0)).json();
            assertThat(node.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(node.get("attempts").asInt()).isEqualTo(1);
            manifestKey = node.get("artifact_keys").get("manifest").asText();
            Http.Response art = Http.get(base + "/api/v1/artifacts/" + manifestKey);
            assertThat(art.status()).isEqualTo(200);
            manifest = art.bytes();
            assertThat(new String(manifest)).contains("\"train\"");
        }

        try (LocalRuntime again = LocalRuntime.start(cfg, true, 1, LocalStackFixture.quiet())) {
            String base = again.api().baseUrl();
            JsonNode sweep = Http.get(base + "/api/v1/sweeps/" + sweepId).json();
            assertThat(sweep.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(Http.get(base + "/api/v1/artifacts/" + manifestKey).bytes()).isEqualTo(manifest);
            assertThat(Http.get(base + "/api/v1/sweeps").json().get("total").asInt()).isEqualTo(1);
        }
    }

    @Test
    void anUnfinishedSweepIsStartedAgainWhenLocalModeRestarts() throws Exception {
        D2cConfig cfg = LocalStackFixture.freshConfig("recover");
        String sweepId;
        try (LocalRuntime noWorker = LocalRuntime.start(cfg, false, 1, LocalStackFixture.quiet())) {
            sweepId = Http.post(noWorker.api().baseUrl() + "/api/v1/sweeps", BundledSweeps.read("smoke"),
                    "application/yaml", noWorker.apiToken().value()).json().get("id").asText();
            Thread.sleep(500);
            JsonNode pending = Http.get(noWorker.api().baseUrl() + "/api/v1/sweeps/" + sweepId).json();
            assertThat(pending.get("status").asText()).isIn("PENDING", "RUNNING");
        }
        // The embedded Temporal kept its state in memory only; PostgreSQL says the sweep is unfinished.
        try (LocalRuntime again = LocalRuntime.start(cfg, true, 1, LocalStackFixture.quiet())) {
            JsonNode done = Http.awaitSweep(again.api().baseUrl(), sweepId, Duration.ofMinutes(3));
            assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        }
    }
}
