package lab.d2c.store.db;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A row of {@code sweeps}.
 *
 * @param specText   the submitted file, verbatim
 * @param specJson   the parsed, validated spec as JSON text
 * @param createdAt  set by the database (null in a record not yet inserted), as are updatedAt and finishedAt
 * @param tags       the researcher's tags (empty: none), set after submission by the API
 * @param note       the researcher's note (empty: none)
 */
public record SweepRecord(
        String id,
        String name,
        String specText,
        String specJson,
        Status status,
        int armCount,
        String workflowId,
        String error,
        Instant createdAt,
        Instant updatedAt,
        Instant finishedAt,
        List<String> tags,
        String note) {

    public SweepRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(specText, "specText");
        Objects.requireNonNull(specJson, "specJson");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(workflowId, "workflowId");
        if (armCount < 0) {
            throw new IllegalArgumentException("armCount: must be >= 0, got " + armCount);
        }
        tags = tags == null ? List.of() : List.copyOf(tags);
        note = note == null ? "" : note;
    }

    /** A new sweep, not yet started. */
    public static SweepRecord pending(String id, String name, String specText, String specJson, int armCount,
            String workflowId) {
        return new SweepRecord(id, name, specText, specJson, Status.PENDING, armCount, workflowId, null, null, null, null,
                List.of(), "");
    }
}
