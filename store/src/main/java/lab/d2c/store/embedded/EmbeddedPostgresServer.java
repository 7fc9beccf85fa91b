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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import lab.d2c.store.config.SecretFile;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * PostgreSQL from the zonky binaries on a persistent data directory: the first start runs initdb
 * (only when {@code postgresql.conf} is absent), later starts reuse the data. Creates the database
 * {@value #DATABASE} if missing.
 *
 * <p>Trusts nobody: logins need a SCRAM-SHA-256 password over TCP on the listen address (127.0.0.1
 * unless told otherwise), and no Unix socket is opened (zonky's default put a mode-777 socket in
 * /tmp). The superuser {@value #SUPERUSER} is used only here, to administer; the stack connects as
 * the role {@value #APP_USER}, which owns the database but is no superuser, so a stolen application
 * password cannot read server files ({@code pg_read_file}) or run programs ({@code COPY TO PROGRAM}).
 * A data dir initialised by an older version (trust authentication, superuser without password) is
 * migrated at start: the superuser password is set in single-user mode, {@code pg_hba.conf} is
 * rewritten, and the tables pass to the application role; no data is touched.
 *
 * <p>As root (this machine, CI containers) PostgreSQL refuses to run; zonky 2.2.2 already detects uid 0
 * and runs initdb and pg_ctl under {@code unshare -U}, where the process is uid 65534 and the data dir,
 * owned by the unmapped root, also appears as 65534, so PostgreSQL's owner check passes.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String DATABASE = "d2c";
    /** The administrator, used by this class only. */
    public static final String SUPERUSER = "postgres";
    /** The role the stack connects as: owns {@value #DATABASE}, no superuser. */
    public static final String APP_USER = "d2c";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final String superuserPassword;
    private final String applicationPassword;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory, Builder b) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.superuserPassword = b.superuserPassword;
        this.applicationPassword = b.applicationPassword;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code jdbc:postgresql://HOST:PORT/d2c}; connect as {@link #APP_USER} with {@link #applicationPassword()}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + connectHost() + ":" + port() + "/" + DATABASE;
    }

    /** The password of {@link #APP_USER}. */
    public String applicationPassword() {
        return applicationPassword;
    }

    /** Where this machine's clients connect: always loopback, which it listens on whatever else it does. */
    private static String connectHost() {
        return "127.0.0.1";
    }

    public int port() {
        return postgres.getPort();
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** An unpooled data source on the {@value #DATABASE} database, as {@value #APP_USER}. */
    public DataSource dataSource() {
        return dataSource(DATABASE, APP_USER, applicationPassword);
    }

    private DataSource superuserDataSource(String database) {
        return dataSource(database, SUPERUSER, superuserPassword);
    }

    private DataSource dataSource(String database, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {connectHost()});
        ds.setPortNumbers(new int[] {port()});
        ds.setDatabaseName(database);
        ds.setUser(user);
        ds.setPassword(password);
        return ds;
    }

    /** Guards against a port already served by some other cluster, which zonky would happily connect to. */
    private void requireOwnCluster() {
        try (Connection c = superuserDataSource("postgres").getConnection();
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
        try (Connection c = superuserDataSource("postgres").getConnection();
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

    /**
     * Creates or updates {@value #APP_USER} (login, the given password, none of the superuser's powers),
     * makes it the owner of the database, and hands it the tables, views and sequences the superuser
     * still owns there (an older version migrated the schema as the superuser). Idempotent: runs at
     * every start, so the password file stays the one source of truth.
     */
    private void provisionApplicationRole() {
        String role = Passwords.identifier(APP_USER);
        String attributes = " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '"
                + Passwords.requireSafe(applicationPassword) + "'";
        try (Connection c = superuserDataSource("postgres").getConnection(); Statement st = c.createStatement()) {
            boolean exists;
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + APP_USER + "'")) {
                exists = rs.next();
            }
            st.execute((exists ? "ALTER ROLE " : "CREATE ROLE ") + role + " WITH" + attributes);
            st.execute("ALTER DATABASE " + DATABASE + " OWNER TO " + role);
            st.execute("REVOKE ALL ON DATABASE " + DATABASE + " FROM PUBLIC");
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL: cannot provision role " + APP_USER + ": " + e.getMessage(), e);
        }
        try (Connection c = superuserDataSource(DATABASE).getConnection(); Statement st = c.createStatement()) {
            // ALTER TABLE also moves the sequences a table's serial columns own; standalone sequences follow.
            st.execute("DO $$ DECLARE r record; BEGIN"
                    + " FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c"
                    + "   JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + "   WHERE n.nspname = 'public' AND c.relowner = '" + SUPERUSER + "'::regrole"
                    + "   AND c.relkind IN ('r', 'p', 'v', 'm', 'f') LOOP"
                    + "   EXECUTE format('ALTER TABLE %s OWNER TO " + APP_USER + "', r.name);"
                    + " END LOOP;"
                    + " FOR r IN SELECT c.oid::regclass AS name FROM pg_class c"
                    + "   JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + "   WHERE n.nspname = 'public' AND c.relowner = '" + SUPERUSER + "'::regrole AND c.relkind = 'S'"
                    + "   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')) LOOP"
                    + "   EXECUTE format('ALTER SEQUENCE %s OWNER TO " + APP_USER + "', r.name);"
                    + " END LOOP; END $$");
        } catch (SQLException e) {
            throw new IllegalStateException("embedded PostgreSQL: cannot hand the tables to " + APP_USER + ": "
                    + e.getMessage(), e);
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
        private String superuserPassword;
        private String applicationPassword;
        private String listenAddress = "127.0.0.1";
        private Path binariesDirectory;
        private boolean resetSuperuserPassword;

        private Builder() {
        }

        /** Password of the superuser {@value #SUPERUSER}; set at initdb, or in single-user mode on an old data dir. */
        public Builder setSuperuserPassword(String password) {
            this.superuserPassword = Passwords.requireSafe(password);
            return this;
        }

        /** Password of the application role {@value #APP_USER}; (re)set at every start. */
        public Builder setApplicationPassword(String password) {
            this.applicationPassword = Passwords.requireSafe(password);
            return this;
        }

        /** The one address PostgreSQL listens on (default 127.0.0.1); logins from elsewhere need it widened. */
        public Builder optListenAddress(String address) {
            // one address: loopback is always added (see listenAddresses)
            if (address == null || address.isBlank() || address.contains(",") || address.contains(" ")) {
                throw new IllegalArgumentException("listen address: one address expected, got '" + address + "'");
            }
            this.listenAddress = address.strip();
            return this;
        }

        /**
         * Whether an existing cluster's superuser password is set anew, offline, before the start (default
         * false). Local mode asks for it when it had to create the password file, so a data dir whose
         * password file was lost still starts, with the new password.
         */
        public Builder optResetSuperuserPassword(boolean reset) {
            this.resetSuperuserPassword = reset;
            return this;
        }

        /**
         * Where zonky unpacks the binaries (default: an owner-only folder under {@code ~/.cache/d2c}, see
         * {@link PostgresBinaries}); its parent must be a folder nobody else can write.
         */
        public Builder optBinariesDirectory(Path directory) {
            this.binariesDirectory = Objects.requireNonNull(directory, "binariesDirectory");
            return this;
        }

        /** Where the cluster lives; created and initialised on first use, reused afterwards. */
        public Builder setDataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        /** TCP port on the listen address; 0 (the default) picks a free one. */
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
            if (superuserPassword == null) {
                throw new IllegalArgumentException("superuserPassword: required");
            }
            if (applicationPassword == null) {
                throw new IllegalArgumentException("applicationPassword: required");
            }
            requireNotPlainRoot();
            Path dir = dataDirectory.toAbsolutePath();
            Path log = dir.resolveSibling(dir.getFileName() + ".log");
            int chosenPort = FreePort.orGiven(port);
            Path workDir = binariesDirectory != null ? binariesDirectory : PostgresBinaries.defaultWorkingDirectory();
            // initdb reads the superuser password from a file: owner-only, beside the data dir, gone after the start
            Path pwfile = dir.resolveSibling(dir.getFileName() + ".pwfile");
            try {
                SecretFile.createPrivateDirectories(dir);
                OrphanPostmaster.clear(dir);
                Files.deleteIfExists(pwfile);
                Files.createFile(pwfile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(pwfile, superuserPassword + "\n");
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(false)
                        .setOverrideWorkingDirectory(workDir.toFile())
                        .setPort(chosenPort)
                        .setPGStartupWait(STARTUP_WAIT)
                        .setRegisterShutdownHook(stopOnExit)
                        // initdb (first start only): the superuser gets a password and pg_hba.conf asks for it
                        .setLocaleConfig("auth", "scram-sha-256")
                        .setLocaleConfig("pwfile", pwfile.toString())
                        .setDataDirectoryCustomizer(d -> secure(d.toPath(), workDir, log))
                        .setServerConfig("listen_addresses", listenAddresses())
                        .setServerConfig("unix_socket_directories", "''")
                        .setServerConfig("password_encryption", "scram-sha-256")
                        .setServerConfig("fsync", durable ? "on" : "off")
                        // zonky's readiness check logs in as the superuser
                        .setConnectConfig("password", superuserPassword)
                        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                EmbeddedPostgresServer server = new EmbeddedPostgresServer(pg, dir, this);
                try {
                    server.requireOwnCluster();
                    server.createDatabaseIfMissing();
                    server.provisionApplicationRole();
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
                        + ": " + e.getMessage() + rootCause(e) + " (see " + log + ")", e);
            } finally {
                try {
                    Files.deleteIfExists(pwfile);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove " + pwfile, e);
                }
            }
        }

        /** Loopback always (zonky's readiness check and our own connections use it), plus the configured one. */
        private String listenAddresses() {
            if (listenAddress.equals("0.0.0.0") || listenAddress.equals("*")) {
                return "*";
            }
            return listenAddress.equals("127.0.0.1") ? listenAddress : "127.0.0.1," + listenAddress;
        }

        /**
         * Between initdb and the start: an old trusting cluster first gets its superuser password (single-user
         * mode, no network), then every start writes the password-only rules.
         */
        private void secure(Path dir, Path workDir, Path log) {
            if (HostBasedAuth.allowsPasswordlessLogin(dir) || resetSuperuserPassword && !initializedNow(dir)) {
                SuperuserPassword.set(PostgresBinaries.directory(workDir), dir, SUPERUSER, superuserPassword, log);
            }
            HostBasedAuth.write(dir, listenAddress);
        }

        /** True when initdb ran in this start: the customizer then sees a cluster nobody has used. */
        private static boolean initializedNow(Path dir) {
            return !java.nio.file.Files.exists(dir.resolve("postmaster.opts"));
        }

        private static String rootCause(Throwable e) {
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            return t == e || t.getMessage() == null ? "" : " (" + t.getMessage() + ")";
        }
    }
}
