package lab.d2c.api.platform;

import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.config.LocalSecrets;
import lab.d2c.store.embedded.EmbeddedPostgresServer;

/** Endpoint rules: what an empty setting means for each kind of process. */
public final class Endpoints {

    private Endpoints() {
    }

    /**
     * For processes that join a running stack ({@code worker}, {@code api}, {@code sweep}):
     * an empty endpoint means the one {@code ./d2c local} serves on this machine.
     */
    public static D2cConfig withLocalDefaults(D2cConfig c) {
        String jdbcUser = c.jdbcUser();
        String jdbcPassword = c.jdbcPassword();
        if (c.jdbcUrl().isBlank() && jdbcUser.isBlank()) {
            // the embedded server's application role; its password is the one local mode keeps in the data dir
            jdbcUser = EmbeddedPostgresServer.APP_USER;
            jdbcPassword = LocalSecrets.postgresPassword(c.dataDir()).orElseThrow(() -> missingSecret(c,
                    LocalSecrets.POSTGRES_FILE, "D2C_JDBC_USER and D2C_JDBC_PASSWORD"));
        }
        String s3Access = c.s3AccessKey();
        String s3Secret = c.s3SecretKey();
        if (c.s3Endpoint().isBlank() && (s3Access.isBlank() || s3Secret.isBlank())) {
            String[] keys = LocalSecrets.s3Keys(c.dataDir()).orElseThrow(() -> missingSecret(c,
                    LocalSecrets.S3_SECRET_KEY_FILE, "D2C_S3_ACCESS_KEY and D2C_S3_SECRET_KEY"));
            s3Access = keys[0];
            s3Secret = keys[1];
        }
        return c.withEndpoints(
                c.temporalAddress().isBlank() ? "127.0.0.1:" + c.embeddedTemporalPort() : c.temporalAddress(),
                c.jdbcUrl().isBlank() ? localJdbcUrl(c.embeddedPgPort()) : c.jdbcUrl(),
                c.s3Endpoint().isBlank() ? "http://127.0.0.1:" + c.embeddedS3Port() : c.s3Endpoint())
                .withCredentials(jdbcUser, jdbcPassword, s3Access, s3Secret);
    }

    private static IllegalArgumentException missingSecret(D2cConfig c, String file, String settings) {
        return new IllegalArgumentException("no " + file + " in the data dir " + c.dataDir() + ": start ./d2c local"
                + " on this data dir first (it creates the credentials of its embedded servers), pass --data-dir, or set "
                + settings);
    }

    /** The JDBC URL of the embedded PostgreSQL's d2c database. */
    public static String localJdbcUrl(int port) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/d2c";
    }

    static void requireAll(D2cConfig c) {
        StringBuilder missing = new StringBuilder();
        if (c.temporalAddress().isBlank()) {
            missing.append(" D2C_TEMPORAL_ADDRESS");
        }
        if (c.jdbcUrl().isBlank()) {
            missing.append(" D2C_JDBC_URL");
        }
        if (c.s3Endpoint().isBlank()) {
            missing.append(" D2C_S3_ENDPOINT");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("not configured:" + missing);
        }
    }
}
