package lab.d2c.store.embedded;

import com.sun.security.auth.module.UnixSystem;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL from the zonky binaries on a persistent data directory: the first start runs initdb
 * (only when {@code postgresql.conf} is absent), later starts reuse the data. Creates the database
 * {@value #DATABASE} if missing. Listens on 127.0.0.1 only, user {@value #USER}, no password (trust).
 *
 * <p>As root (this machine, CI containers) PostgreSQL refuses to run; zonky 2.2.2 already detects uid 0
 * and runs initdb and pg_ctl under {@code unshare -U}, where the process is uid 65534 and the data dir,
 * owned by the unmapped root, also appears as 65534, so PostgreSQL's owner check passes.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "d2c";
    public static final String USER = "postgres";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    /** A durable server on {@code dataDirectory} and {@code port} (0 = a free one): local mode. */
    public static EmbeddedPostgresServer start(Path dataDirectory, int port) {
        return builder().setDataDirectory(dataDirectory).optPort(port).start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/d2c}; connect as {@link #USER} with an empty password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + DATABASE;
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** An unpooled data source on the {@value #DATABASE} database. */
    public DataSource dataSource() {
        return dataSource(DATABASE);
    }

    private DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setPortNumbers(new int[] {port()});
        ds.setDatabaseName(database);
        ds.setUser(USER);
        return ds;
    }

    /** Guards against a port already served by some other cluster, which zonky would happily connect to. */
    private void requireOwnCluster() {
        try (Connection c = dataSource("postgres").getConnection();
             PreparedStatement q = c.prepareStatement("SELECT current_setting('data_directory')");
             ResultSet rs = q.executeQuery()) {
            rs.next();
            Path served = Path.of(rs.getString(1)).toRealPath();
            if (!served.equals(dataDirectory.toRealPath())) {
                throw new IllegalStateException("port " + port() + " is served by another PostgreSQL (data dir "
                        + served + "), not by " + dataDirectory);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL on port " + port() + " does not answer: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void createDatabaseIfMissing() {
        try (Connection c = dataSource("postgres").getConnection();
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE); // a constant identifier: DDL takes no parameters
            }
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL on port " + port() + ": cannot create database "
                    + DATABASE + ": " + e.getMessage(), e);
        }
    }

    /** Stops PostgreSQL (pg_ctl stop, fast); the data directory stays. */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL on " + dataDirectory, e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgresServer[" + jdbcUrl() + ", data=" + dataDirectory + "]";
    }

    /** PostgreSQL refuses uid 0; zonky works around it with {@code unshare -U}, which some containers forbid. */
    private static void requireNotPlainRoot() {
        boolean root = System.getProperty("os.name", "").startsWith("Linux") && new UnixSystem().getUid() == 0;
        if (root && !LinuxUtils.isUnshareAvailable()) {
            throw new IllegalStateException("embedded PostgreSQL cannot run as root here: PostgreSQL refuses uid 0 and"
                    + " 'unshare -U' (a user namespace) is not permitted; run as a non-root user, allow user namespaces,"
                    + " or point D2C_JDBC_URL at an external PostgreSQL");
        }
    }

    /** Builds and starts a server. Required: the data directory. */
    public static final class Builder {
        private Path dataDirectory;
        private int port;
        private boolean durable = true;
        private boolean stopOnExit = true;

        private Builder() {
        }

        /** Where the cluster lives; created and initialised on first use, reused afterwards. */
        public Builder setDataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        /** TCP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder optPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port: must be 0..65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Whether to fsync (default true). Tests pass false: faster, and a crash of the machine (not of
         * the process) may then corrupt the cluster.
         */
        public Builder optDurable(boolean durable) {
            this.durable = durable;
            return this;
        }

        /** Whether a JVM shutdown hook stops the server (default true); owners that stop it themselves pass false. */
        public Builder optStopOnExit(boolean stopOnExit) {
            this.stopOnExit = stopOnExit;
            return this;
        }

        public EmbeddedPostgresServer start() {
            if (dataDirectory == null) {
                throw new IllegalArgumentException("dataDirectory: required");
            }
            requireNotPlainRoot();
            Path dir = dataDirectory.toAbsolutePath();
            Path log = dir.resolveSibling(dir.getFileName() + ".log");
            int chosenPort = FreePort.orGiven(port);
            try {
                Files.createDirectories(dir);
                OrphanPostmaster.clear(dir);
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(false)
                        .setPort(chosenPort)
                        .setPGStartupWait(STARTUP_WAIT)
                        .setRegisterShutdownHook(stopOnExit)
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("fsync", durable ? "on" : "off")
                        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                EmbeddedPostgresServer server = new EmbeddedPostgresServer(pg, dir);
                try {
                    server.requireOwnCluster();
                    server.createDatabaseIfMissing();
                } catch (RuntimeException e) {
                    server.close();
                    throw e;
                }
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start embedded PostgreSQL on " + dir + " port " + chosenPort
                        + " (see " + log + ")", e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL on " + dir + " port " + chosenPort
                        + ": " + e.getMessage() + " (see " + log + ")", e);
            }
        }
    }
}
