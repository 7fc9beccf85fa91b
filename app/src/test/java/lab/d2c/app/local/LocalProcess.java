package lab.d2c.app.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import lab.d2c.app.cli.D2cCli;
import lab.d2c.api.http.Http;
import lab.d2c.api.platform.D2cConfig;

/**
 * {@code ./d2c local} as its own process (the launcher's main class on this test's classpath), on a
 * configuration's data dir and ports, its stdout and stderr in a log file: what a user starts.
 */
public final class LocalProcess {

    private final Process process;
    private final Path log;
    private final String baseUrl;

    private LocalProcess(Process process, Path log, String baseUrl) {
        this.process = process;
        this.log = log;
        this.baseUrl = baseUrl;
    }

    /** Starts it and waits until the API answers. */
    public static LocalProcess start(D2cConfig cfg, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), D2cCli.class.getName(), "local"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(Map.of(
                "D2C_DATA_DIR", cfg.dataDir().toString(),
                "D2C_API_PORT", String.valueOf(cfg.apiPort()),
                "D2C_EMBEDDED_PG_PORT", String.valueOf(cfg.embeddedPgPort()),
                "D2C_EMBEDDED_S3_PORT", String.valueOf(cfg.embeddedS3Port()),
                "D2C_EMBEDDED_TEMPORAL_PORT", String.valueOf(cfg.embeddedTemporalPort()),
                "D2C_TASK_QUEUE", cfg.taskQueue()));
        LocalProcess local = new LocalProcess(pb.start(), log, "http://127.0.0.1:" + cfg.apiPort());
        local.awaitHealthy();
        return local;
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
            try {
                if (Http.get(baseUrl + "/api/v1/health").status() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("./d2c local did not come up:\n" + Files.readString(log));
    }

    public Process process() {
        return process;
    }

    public Path log() {
        return log;
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String baseUrl() {
        return baseUrl;
    }
}
