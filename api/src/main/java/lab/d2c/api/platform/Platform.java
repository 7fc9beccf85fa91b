package lab.d2c.api.platform;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.time.Duration;
import lab.d2c.store.artifact.ArtifactCatalog;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.db.Database;

/**
 * Open connections to PostgreSQL (migrated), the artifact store and Temporal, from a
 * configuration whose endpoints are all set.
 */
public final class Platform implements AutoCloseable {

    private final D2cConfig config;
    private final Database database;
    private final ArtifactStore artifacts;
    private final WorkflowServiceStubs service;
    private final WorkflowClient client;

    private Platform(D2cConfig config, Database database, ArtifactStore artifacts, WorkflowServiceStubs service,
            WorkflowClient client) {
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
            WorkflowServiceStubs service = WorkflowServiceStubs.newConnectedServiceStubs(
                    WorkflowServiceStubsOptions.newBuilder().setTarget(config.temporalAddress()).build(),
                    Duration.ofSeconds(30));
            WorkflowClient client = WorkflowClient.newInstance(service,
                    WorkflowClientOptions.newBuilder().setNamespace(config.temporalNamespace()).build());
            return new Platform(config, db, store, service, client);
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
        database.close();
    }
}
