package lab.d2c.app.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.embedded.FreePort;

/** A local-mode configuration on free ports with its data dir under target/. */
public final class LocalStackFixture {

    private LocalStackFixture() {
    }

    public static D2cConfig freshConfig(String name) {
        return freshConfig(name, Map.of());
    }

    /** As {@link #freshConfig(String)}, with more D2C_* settings (e.g. a short node heartbeat). */
    public static D2cConfig freshConfig(String name, Map<String, String> settings) {
        try {
            Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), name + "-");
            Map<String, String> env = new HashMap<>();
            env.put("D2C_EMBEDDED_PG_PORT", String.valueOf(FreePort.find()));
            env.put("D2C_EMBEDDED_S3_PORT", String.valueOf(FreePort.find()));
            env.put("D2C_EMBEDDED_TEMPORAL_PORT", String.valueOf(FreePort.find()));
            env.put("D2C_API_PORT", "0");
            env.put("D2C_TASK_QUEUE", "d2c-" + name);
            env.putAll(settings);
            return D2cConfig.load(env, Optional.of(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Environment variables that make another process use this configuration. */
    public static Map<String, String> env(D2cConfig c) {
        return c.processEnv();
    }

    public static PrintStream quiet() {
        return new PrintStream(PrintStream.nullOutputStream());
    }
}
