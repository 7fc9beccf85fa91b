package lab.d2c.api.platform;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.temporal.client.WorkflowClient;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import lab.d2c.store.artifact.ArtifactCatalog;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.db.Database;
import lab.d2c.store.metrics.ProcessMetrics;

/**
 * Open connections to PostgreSQL (migrated), the artifact store and Temporal, from a
 * configuration whose endpoints are all set. Temporal's SDK reports its client and worker metrics
 * ({@code temporal_*}) into the process's registry ({@link ProcessMetrics}) through its Micrometer reporter.
 */
public final class Platform implements AutoCloseable {

    private final D2cConfig config;
    private final Database database;
    private final ArtifactStore artifacts;
    private final WorkflowServiceStubs service;
    private final WorkflowClient client;
    private final Scope temporalMetrics;

    /** How often Temporal's tally scope hands its buffered counts to Micrometer; well under a scrape interval. */
    private static final com.uber.m3.util.Duration TEMPORAL_REPORT_EVERY = com.uber.m3.util.Duration.ofSeconds(2);

    private Platform(D2cConfig config, Database database, ArtifactStore artifacts, WorkflowServiceStubs service,
            WorkflowClient client, Scope temporalMetrics) {
        this.temporalMetrics = temporalMetrics;
        this.config = config;
        this.database = database;
        this.artifacts = artifacts;
        this.service = service;
        this.client = client;
    }

    public static Platform connect(D2cConfig config) {
        Endpoints.requireAll(config);
        Database db = Database.open(config.database());
        try {
            ArtifactStore store = ArtifactStore.connect(config.s3(), new ArtifactCatalog(db.dataSource()));
            // The workers built on this client report through the same scope (the stubs carry it).
            Scope scope = new RootScopeBuilder().reporter(new ProcessReporter())
                    .reportEvery(TEMPORAL_REPORT_EVERY);
            try {
                WorkflowServiceStubs service = WorkflowServiceStubs.newConnectedServiceStubs(
                        WorkflowServiceStubsOptions.newBuilder().setTarget(config.temporalAddress())
                                .setMetricsScope(scope).build(),
                        Duration.ofSeconds(30));
                WorkflowClient client = WorkflowClient.newInstance(service,
                        WorkflowClientOptions.newBuilder().setNamespace(config.temporalNamespace()).build());
                return new Platform(config, db, store, service, client, scope);
            } catch (RuntimeException e) {
                try {
                    scope.close();
                } catch (com.uber.m3.tally.ScopeCloseException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public D2cConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public ArtifactStore artifacts() {
        return artifacts;
    }

    public WorkflowClient client() {
        return client;
    }

    @Override
    public void close() {
        service.shutdown();
        try {
            temporalMetrics.close(); // reports what is buffered and stops its reporting thread
        } catch (com.uber.m3.tally.ScopeCloseException e) {
            // metrics only: the connections still close
        }
        database.close();
    }

    /**
     * Temporal's Micrometer reporter, except that closing it leaves the process registry open: the
     * SDK's close() closes the registry it was given, and a closed Micrometer registry silently hands out
     * no-op meters from then on, so every stack started after the first closed in a JVM recorded nothing.
     */
    private static final class ProcessReporter extends MicrometerClientStatsReporter {
        ProcessReporter() {
            super(ProcessMetrics.registry());
        }

        @Override
        public void close() {
            // the registry belongs to the process (ProcessMetrics), not to this client
        }
    }
}
