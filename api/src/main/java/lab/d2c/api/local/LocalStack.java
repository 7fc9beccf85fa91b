package lab.d2c.api.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import lab.d2c.store.config.D2cConfig;
import lab.d2c.store.embedded.EmbeddedPostgresServer;
import lab.d2c.store.embedded.EmbeddedS3Server;

/**
 * Starts an embedded server for each endpoint the configuration leaves empty, with its
 * state under the data dir ({@code postgres/}, {@code s3/}), and hands back the
 * configuration with every endpoint filled in.
 */
public final class LocalStack implements AutoCloseable {

    private final List<AutoCloseable> started = new ArrayList<>();
    private D2cConfig config;

    private LocalStack() {
    }

    public static LocalStack start(D2cConfig requested, PrintStream out) {
        LocalStack stack = new LocalStack();
        try {
            stack.startMissing(requested, out);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startMissing(D2cConfig c, PrintStream out) {
        try {
            Files.createDirectories(c.dataDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data dir " + c.dataDir(), e);
        }
        String jdbc = c.jdbcUrl();
        if (jdbc.isBlank()) {
            EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(c.dataDir().resolve("postgres"), c.embeddedPgPort());
            started.add(pg);
            jdbc = pg.jdbcUrl();
            out.println("  postgres   " + jdbc + "   (embedded, data in " + c.dataDir().resolve("postgres") + ")");
        } else {
            out.println("  postgres   " + jdbc + "   (external)");
        }
        String s3 = c.s3Endpoint();
        if (s3.isBlank()) {
            EmbeddedS3Server server = EmbeddedS3Server.start(c.dataDir().resolve("s3"), c.embeddedS3Port(),
                    c.s3AccessKey(), c.s3SecretKey());
            started.add(server);
            s3 = server.endpoint();
            out.println("  s3         " + s3 + "   (embedded, objects in " + c.dataDir().resolve("s3") + ")");
        } else {
            out.println("  s3         " + s3 + "   (external)");
        }
        String temporal = c.temporalAddress();
        if (temporal.isBlank()) {
            EmbeddedTemporal t = EmbeddedTemporal.start(c.embeddedTemporalPort());
            started.add(t);
            temporal = t.address();
            EmbeddedTemporal.recordAddress(c.dataDir(), temporal);
            out.println("  temporal   " + temporal + "   (embedded Java service, namespace " + c.temporalNamespace() + ")");
        } else {
            out.println("  temporal   " + temporal + "   (external, namespace " + c.temporalNamespace() + ")");
        }
        config = c.withEndpoints(temporal, jdbc, s3);
    }

    /** The configuration with every endpoint set. */
    public D2cConfig config() {
        return config;
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("d2c: stopping " + started.get(i).getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        started.clear();
    }

}
