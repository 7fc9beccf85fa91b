package lab.d2c.api.platform;

import lab.d2c.store.config.D2cConfig;

/** Endpoint rules: what an empty setting means for each kind of process. */
public final class Endpoints {

    private Endpoints() {
    }

    /**
     * For processes that join a running stack ({@code worker}, {@code api}, {@code sweep}):
     * an empty endpoint means the one {@code ./d2c local} serves on this machine.
     */
    public static D2cConfig withLocalDefaults(D2cConfig c) {
        return c.withEndpoints(
                c.temporalAddress().isBlank() ? "127.0.0.1:" + c.embeddedTemporalPort() : c.temporalAddress(),
                c.jdbcUrl().isBlank() ? localJdbcUrl(c.embeddedPgPort()) : c.jdbcUrl(),
                c.s3Endpoint().isBlank() ? "http://127.0.0.1:" + c.embeddedS3Port() : c.s3Endpoint());
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
