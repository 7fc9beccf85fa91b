package lab.d2c.app.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import lab.d2c.api.http.Http;
import lab.d2c.app.local.LocalProcess;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.embedded.FreePort;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The whole stack crashes: {@code ./d2c local} (API, worker, embedded Temporal and S3, and the
 * PostgreSQL it started) is killed with SIGKILL mid-sweep and started again on the same data
 * dir. PostgreSQL says what should be running: the sweep resumes, nodes finished before the
 * crash are not recomputed, and the training that was running continues from its checkpoint.
 */
@Tag("faults")
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class StackCrashTest {

    @Test
    void aKilledLocalStackResumesItsSweepFromPostgresAndCheckpoints() throws Exception {
        int apiPort = FreePort.find();
        D2cConfig cfg = LocalStackFixture.freshConfig("crash", Map.of("D2C_API_PORT", String.valueOf(apiPort)));
        Path log = cfg.dataDir().resolve("local-1.log");
        Process local = LocalProcess.start(cfg, log).process();
        String base = "http://127.0.0.1:" + apiPort;
        String sweepId;
        String runningKey;
        long checkpointAtCrash;
        try {
            String token = Files.readString(cfg.dataDir().resolve("api-token")).trim();
            sweepId = Http.post(base + "/api/v1/sweeps", WorkerKillEveryTrainerTest.SWEEP, "application/yaml", token)
                    .json().get("id").asText();
            // crash once train-stage1 has a checkpoint of step >= 40: the tokenizers are done by then
            String[] found = new String[1];
            long[] step = new long[1];
            long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
            while (found[0] == null && System.nanoTime() < deadline) {
                JsonNode exp = Http.get(base + "/api/v1/experiments/" + sweepId + "-a0").json();
                for (JsonNode n : exp.path("nodes")) {
                    if (n.get("kind").asText().equals("train-stage1") && n.get("status").asText().equals("RUNNING")) {
                        Http.Response p = Http.get(base + "/api/v1/artifacts/nodes/" + n.get("key").asText()
                                + "/checkpoints/latest.json");
                        if (p.status() == 200 && p.json().at("/checkpoints/0/step").asLong() >= 40) {
                            found[0] = n.get("key").asText();
                            step[0] = p.json().at("/checkpoints/0/step").asLong();
                        }
                    }
                }
                Thread.sleep(50);
            }
            assertThat(found[0]).as(Files.readString(log)).isNotNull();
            local.destroyForcibly().waitFor();
            runningKey = found[0];
            checkpointAtCrash = step[0];
        } finally {
            local.destroyForcibly().waitFor();
        }

        long restarted = System.nanoTime();
        try (LocalRuntime again = LocalRuntime.start(cfg, true, 1, LocalStackFixture.quiet())) {
            String url = again.api().baseUrl();
            JsonNode done = Http.awaitSweep(url, sweepId, Duration.ofMinutes(4));
            double seconds = (System.nanoTime() - restarted) / 1e9;
            assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
            JsonNode exp = Http.get(url + "/api/v1/experiments/" + sweepId + "-a0").json();
            for (JsonNode n : exp.get("nodes")) {
                String kind = n.get("kind").asText();
                if (List.of("prepare-dataset", "train-vq", "train-vae", "train-classifier", "pretokenize").contains(kind)) {
                    assertThat(n.get("attempts").asInt()).as(kind + " finished before the crash: not run again").isEqualTo(1);
                }
            }
            JsonNode stage1 = Http.get(url + "/api/v1/nodes/" + runningKey).json();
            assertThat(stage1.get("attempts").asInt()).as("the interrupted attempt and the resumed one").isEqualTo(2);
            long resumedFrom = stage1.at("/result/resumed_from_step").asLong();
            assertThat(resumedFrom).as("continued from its checkpoint").isGreaterThanOrEqualTo(checkpointAtCrash);
            System.out.printf("faults: stack crash (SIGKILL of ./d2c local) during train-stage1 after checkpoint %d:"
                    + " resumed from %d, sweep done %.1f s after the restart%n", checkpointAtCrash, resumedFrom, seconds);
        }
    }
}
