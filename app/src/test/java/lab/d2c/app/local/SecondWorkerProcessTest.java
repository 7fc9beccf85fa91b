package lab.d2c.app.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import lab.d2c.app.cli.D2cCli;
import lab.d2c.api.http.Http;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.workflows.spec.BundledSweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./d2c local --no-worker} plus {@code ./d2c worker} as a separate OS process: the
 * second process picks up the work.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class SecondWorkerProcessTest {

    @Test
    void aSeparateWorkerProcessRunsTheNodes() throws Exception {
        D2cConfig cfg = LocalStackFixture.freshConfig("worker2");
        try (LocalRuntime rt = LocalRuntime.start(cfg, false, 1, LocalStackFixture.quiet())) {
            D2cConfig live = rt.platform().config();
            Path log = cfg.dataDir().resolve("worker.log");
            ProcessBuilder pb = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    D2cCli.class.getName(), "worker", "--name", "second-worker"))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().putAll(LocalStackFixture.env(live));
            Process worker = pb.start();
            try {
                String base = rt.api().baseUrl();
                String id = Http.post(base + "/api/v1/sweeps", BundledSweeps.read("smoke"), "application/yaml",
                        rt.apiToken().value())
                        .json().get("id").asText();
                JsonNode sweep = Http.awaitSweep(base, id, Duration.ofMinutes(3));
                assertThat(sweep.get("status").asText()).as(java.nio.file.Files.readString(log)).isEqualTo("SUCCEEDED");
                String expId = sweep.get("experiments").get(0).get("id").asText();
                JsonNode node = Http.get(base + "/api/v1/experiments/" + expId).json().get("nodes").get(0);
                assertThat(node.get("worker").asText()).isEqualTo("second-worker");
            } finally {
                worker.destroy();
                worker.waitFor();
            }
        }
    }

}
