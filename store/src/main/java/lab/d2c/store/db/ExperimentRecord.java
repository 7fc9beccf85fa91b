package lab.d2c.store.db;

import java.time.Instant;
import java.util.Objects;

/**
 * A row of {@code experiments}: one arm of a sweep.
 *
 * @param paramsJson the grid point (dotted key to value) as JSON text
 * @param configJson the full resolved config of this arm as JSON text
 * @param createdAt  set by the database (null in a record not yet inserted), as are startedAt and finishedAt
 */
public record ExperimentRecord(
        String id,
        String sweepId,
        int armIndex,
        String name,
        long seed,
        String paramsJson,
        String configJson,
        Status status,
        String workflowId,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt) {

    public ExperimentRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sweepId, "sweepId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(paramsJson, "paramsJson");
        Objects.requireNonNull(configJson, "configJson");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(workflowId, "workflowId");
        if (armIndex < 0) {
            throw new IllegalArgumentException("armIndex: must be >= 0, got " + armIndex);
        }
    }

    /** A new arm, not yet started. */
    public static ExperimentRecord pending(String id, String sweepId, int armIndex, String name, long seed,
            String paramsJson, String configJson, String workflowId) {
        return new ExperimentRecord(id, sweepId, armIndex, name, seed, paramsJson, configJson, Status.PENDING,
                workflowId, null, null, null, null);
    }
}
