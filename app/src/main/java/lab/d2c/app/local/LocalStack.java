package lab.d2c.app.local;

import java.io.PrintStream;

import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.config.LocalSecrets;
import lab.d2c.store.config.SecretFile;
import lab.d2c.store.embedded.EmbeddedPostgresServer;
import lab.d2c.store.embedded.EmbeddedS3Server;

/**
 * Starts an embedded server for each endpoint the configuration leaves empty, with its
 * state under the data dir ({@code postgres/}, {@code s3/}), and hands back the
 * configuration with every endpoint filled in.
 */
public final class LocalStack implements AutoCloseable {

    private final StartedParts started = new StartedParts();
    private D2cConfig config;

    private LocalStack() {
    }

    public static LocalStack start(D2cConfig requested, PrintStream out) {
        LocalStack stack = new LocalStack();
        stack.started.reportTo(out);
        try {
            stack.startMissing(requested, out);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void startMissing(D2cConfig c, PrintStream out) {
        // the data dir holds the servers' state and credentials: owner-only (0700), also when it existed wider
        SecretFile.createPrivateDirectories(c.dataDir());
        // a superuser password file made now for an existing cluster (lost, or an older version's data dir) is set offline
        boolean newSuperuserPassword = !java.nio.file.Files.exists(c.dataDir().resolve(LocalSecrets.POSTGRES_SUPERUSER_FILE));
        LocalSecrets secrets = c.allExternal() ? null : LocalSecrets.readOrCreate(c.dataDir());
        String jdbc = c.jdbcUrl();
        String jdbcUser = c.jdbcUser();
        String jdbcPassword = c.jdbcPassword();
        if (jdbc.isBlank()) {
            EmbeddedPostgresServer pg = EmbeddedPostgresServer.builder()
                    .setDataDirectory(c.dataDir().resolve("postgres"))
                    .setSuperuserPassword(secrets.postgresSuperuserPassword())
                    .setApplicationPassword(secrets.postgresPassword())
                    .optResetSuperuserPassword(newSuperuserPassword)
                    .optPort(c.embeddedPgPort())
                    .optListenAddress(c.embeddedHost())
                    // LocalRuntime stops it after the workers and the API; zonky's own hook would stop it first
                    .optStopOnExit(false)
                    .start();
            started.add("postgres", pg);
            jdbc = pg.jdbcUrl();
            jdbcUser = EmbeddedPostgresServer.APP_USER;
            jdbcPassword = pg.applicationPassword();
            out.println("  postgres   " + jdbc + "   (embedded, role " + jdbcUser + ", password in "
                    + c.dataDir().resolve(LocalSecrets.POSTGRES_FILE) + ")");
        } else {
            out.println("  postgres   " + jdbc + "   (external)");
        }
        String s3 = c.s3Endpoint();
        String s3Access = c.s3AccessKey();
        String s3Secret = c.s3SecretKey();
        if (s3.isBlank()) {
            if (s3Access.isBlank() || s3Secret.isBlank()) {
                s3Access = secrets.s3AccessKey();
                s3Secret = secrets.s3SecretKey();
            }
            EmbeddedS3Server server = EmbeddedS3Server.start(c.dataDir().resolve("s3"), c.embeddedHost(),
                    c.embeddedS3Port(), s3Access, s3Secret);
            started.add("s3", server);
            s3 = server.endpoint();
            out.println("  s3         " + s3 + "   (embedded, objects in " + c.dataDir().resolve("s3") + ", keys in "
                    + c.dataDir().resolve(LocalSecrets.S3_SECRET_KEY_FILE) + ")");
        } else {
            out.println("  s3         " + s3 + "   (external)");
        }
        String temporal = c.temporalAddress();
        if (temporal.isBlank()) {
            EmbeddedTemporal t = EmbeddedTemporal.start(c.embeddedHost(), c.embeddedTemporalPort());
            started.add("temporal", t);
            temporal = t.address();
            EmbeddedTemporal.recordAddress(c.dataDir(), temporal);
            out.println("  temporal   " + temporal + "   (embedded Java service, namespace " + c.temporalNamespace() + ")");
        } else {
            out.println("  temporal   " + temporal + "   (external, namespace " + c.temporalNamespace() + ")");
        }
        config = c.withEndpoints(temporal, jdbc, s3).withCredentials(jdbcUser, jdbcPassword, s3Access, s3Secret);
    }

    /** The configuration with every endpoint set. */
    public D2cConfig config() {
        return config;
    }

    @Override
    public void close() {
        started.close();
    }

}
