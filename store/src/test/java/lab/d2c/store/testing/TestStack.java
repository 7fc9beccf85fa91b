package lab.d2c.store.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import lab.d2c.store.artifact.ArtifactCatalog;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.artifact.S3Settings;
import lab.d2c.store.config.SecretFile;
import lab.d2c.store.db.Database;
import lab.d2c.store.db.DatabaseSettings;
import lab.d2c.store.embedded.EmbeddedPostgresServer;
import lab.d2c.store.embedded.EmbeddedS3Server;

/**
 * One embedded PostgreSQL (migrated) and one embedded S3 server for the whole test JVM, started on first
 * use under {@code target/test-stack-<pid>} (fresh per JVM, free ports) and stopped and deleted by a
 * shutdown hook. Tests share it: use {@link #artifactStore(String)} for a bucket of your own and
 * {@link #truncateAll()} (or unique ids) to keep tables apart.
 */
public final class TestStack {

    public static final String ACCESS_KEY = "d2c-test";
    public static final String SECRET_KEY = "d2c-test-secret";
    public static final String REGION = "us-east-1";
    private static final String TABLES = "metrics, evaluations, experiment_nodes, experiments, sweeps, nodes, artifacts";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static volatile TestStack instance;

    private final Path root;
    private final EmbeddedPostgresServer postgres;
    private final EmbeddedS3Server s3;
    private final Database database;
    private final DatabaseSettings databaseSettings;
    private final S3Settings s3Settings;

    private TestStack(Path root, EmbeddedPostgresServer postgres, EmbeddedS3Server s3, Database database) {
        this.root = root;
        this.postgres = postgres;
        this.s3 = s3;
        this.database = database;
        this.databaseSettings = new DatabaseSettings(postgres.jdbcUrl(), EmbeddedPostgresServer.APP_USER,
                postgres.applicationPassword());
        this.s3Settings = new S3Settings(s3.endpoint(), REGION, ACCESS_KEY, SECRET_KEY, "d2c-test");
    }

    /** The stack of this JVM, started on the first call. */
    public static TestStack get() {
        TestStack s = instance;
        if (s == null) {
            synchronized (TestStack.class) {
                s = instance;
                if (s == null) {
                    s = start();
                    instance = s;
                }
            }
        }
        return s;
    }

    private static TestStack start() {
        Path root = Path.of("target", "test-stack-" + ProcessHandle.current().pid()).toAbsolutePath();
        deleteLeftovers(root.getParent());
        deleteTree(root);
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.builder().setDataDirectory(root.resolve("postgres"))
                .setSuperuserPassword(SecretFile.randomValue()).setApplicationPassword(SecretFile.randomValue())
                .optDurable(false).optStopOnExit(false).start();
        EmbeddedS3Server s3 = null;
        try {
            s3 = EmbeddedS3Server.start(root.resolve("s3"), 0, ACCESS_KEY, SECRET_KEY);
            Database db = Database.open(pg.jdbcUrl(), EmbeddedPostgresServer.APP_USER, pg.applicationPassword());
            TestStack stack = new TestStack(root, pg, s3, db);
            Runtime.getRuntime().addShutdownHook(new Thread(stack::stop, "test-stack-stop"));
            return stack;
        } catch (RuntimeException e) {
            if (s3 != null) {
                s3.close();
            }
            pg.close();
            throw e;
        }
    }

    public Database database() {
        return database;
    }

    public EmbeddedPostgresServer postgres() {
        return postgres;
    }

    public EmbeddedS3Server s3() {
        return s3;
    }

    /** This stack's PostgreSQL, as the application role. */
    public DatabaseSettings databaseSettings() {
        return databaseSettings;
    }

    /** This stack's S3 server, bucket {@code d2c-test}. */
    public S3Settings s3Settings() {
        return s3Settings;
    }

    /** A store on a new bucket named {@code <hint>-<n>} (lower-cased), recording into the shared catalog. */
    public ArtifactStore artifactStore(String hint) {
        String bucket = (hint.toLowerCase().replaceAll("[^a-z0-9-]", "-") + "-" + BUCKETS.incrementAndGet());
        ArtifactStore store = ArtifactStore.builder().setClient(ArtifactStore.client(s3Settings)).setBucket(bucket)
                .optCatalog(new ArtifactCatalog(database.dataSource())).build();
        store.createBucketIfMissing();
        return store;
    }

    /** A store on a new bucket. */
    public ArtifactStore artifactStore() {
        return artifactStore("test");
    }

    /** Empties every table the migrations created (the schema stays). */
    public void truncateAll() {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("TRUNCATE " + TABLES + " RESTART IDENTITY CASCADE")) {
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("truncating the test tables failed: " + e.getMessage(), e);
        }
    }

    private void stop() {
        try {
            database.close();
        } finally {
            try {
                s3.close();
            } finally {
                postgres.close();
                deleteTree(root);
            }
        }
    }

    /** Stacks of test JVMs that died without their shutdown hook (a PostgreSQL left on them stops once its dir is gone). */
    private static void deleteLeftovers(Path target) {
        if (!Files.isDirectory(target)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(target)) {
            dirs.filter(d -> d.getFileName().toString().matches("test-stack-\\d+"))
                    .filter(d -> ProcessHandle.of(Long.parseLong(d.getFileName().toString().substring(11)))
                            .map(p -> !p.isAlive()).orElse(true))
                    .forEach(TestStack::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + target, e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
