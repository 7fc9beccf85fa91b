package lab.d2c.app.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import lab.d2c.app.cli.D2cCli;
import lab.d2c.api.platform.D2cConfig;

/** A {@code ./d2c worker} process (this test JVM's class path) against a local stack, for kill tests. */
public final class WorkerProcess implements AutoCloseable {

    private final Process process;
    private final Path log;
    private final String name;

    private WorkerProcess(Process process, Path log, String name) {
        this.process = process;
        this.log = log;
        this.name = name;
    }

    /**
     * @param live      the running stack's configuration (its endpoints)
     * @param overrides D2C_* variables that differ for this worker (an S3 or JDBC endpoint through a proxy)
     */
    public static WorkerProcess start(D2cConfig live, String name, Map<String, String> overrides) throws IOException {
        Path log = live.dataDir().resolve(name + ".log");
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                D2cCli.class.getName(), "worker", "--name", name))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().putAll(LocalStackFixture.env(live));
        pb.environment().putAll(overrides);
        return new WorkerProcess(pb.start(), log, name);
    }

    public String name() {
        return name;
    }

    /** SIGKILL: no shutdown hook, no goodbye to Temporal; heartbeats just stop. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }
}
