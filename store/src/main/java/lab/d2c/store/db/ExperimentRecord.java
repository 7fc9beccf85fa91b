package lab.d2c.store.db;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A row of {@code experiments}: one arm of a sweep.
 *
 * @param paramsJson the grid point (dotted key to value) as JSON text
 * @param configJson the full resolved config of this arm as JSON text
 * @param createdAt  set by the database (null in a record not yet inserted), as are startedAt and finishedAt
 * @param nodesTotal the number of nodes of the arm's planned graph, stored at submission so reads need not
 *                   plan it again; null in rows written before it was stored (readers plan those)
 * @param plannedNodeKeys the node keys of the arm's planned graph in plan order, stored at submission: an
 *                   unfinished arm has not linked them all yet; null in rows written before they were stored
 * @param tags       the researcher's tags (empty: none), set after submission by the API
 * @param note       the researcher's note (empty: none)
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
        Instant finishedAt,
        Integer nodesTotal,
        List<String> plannedNodeKeys,
        List<String> tags,
        String note) {

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
        if (nodesTotal != null && nodesTotal < 0) {
            throw new IllegalArgumentException("nodesTotal: must be >= 0, got " + nodesTotal);
        }
        plannedNodeKeys = plannedNodeKeys == null ? null : List.copyOf(plannedNodeKeys);
        tags = tags == null ? List.of() : List.copyOf(tags);
        note = note == null ? "" : note;
    }

    /** A new arm, not yet started. */
    public static ExperimentRecord pending(String id, String sweepId, int armIndex, String name, long seed,
            String paramsJson, String configJson, String workflowId) {
        return new ExperimentRecord(id, sweepId, armIndex, name, seed, paramsJson, configJson, Status.PENDING,
                workflowId, null, null, null, null, null, null, List.of(), "");
    }

    /** This record with its planned node count. */
    public ExperimentRecord withNodesTotal(int planned) {
        return new ExperimentRecord(id, sweepId, armIndex, name, seed, paramsJson, configJson, status, workflowId, error,
                createdAt, startedAt, finishedAt, planned, plannedNodeKeys, tags, note);
    }

    /** This record with its planned graph's node keys (plan order), and so their count. */
    public ExperimentRecord withPlannedNodes(List<String> keys) {
        return new ExperimentRecord(id, sweepId, armIndex, name, seed, paramsJson, configJson, status, workflowId, error,
                createdAt, startedAt, finishedAt, keys.size(), keys, tags, note);
    }
}
