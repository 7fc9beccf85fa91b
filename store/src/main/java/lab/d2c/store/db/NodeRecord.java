package lab.d2c.store.db;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A row of {@code nodes}: one node of the experiment graph, keyed by its content hash.
 *
 * @param configJson    the config slice the node reads, as JSON text
 * @param inputKeysJson input name to node key, as JSON text
 * @param progress      0..1 while running; null before
 * @param artifactKeys  role to object key, empty until it succeeds
 * @param resultJson    small outputs as JSON text; null until it succeeds
 * @param durationMs    run time of the successful attempt; null before
 */
public record NodeRecord(
        String key,
        String kind,
        String configJson,
        String inputKeysJson,
        int codeVersion,
        Status status,
        int attempts,
        Double progress,
        String progressMessage,
        Map<String, String> artifactKeys,
        String resultJson,
        String worker,
        String error,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        Long durationMs) {

    public NodeRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(configJson, "configJson");
        Objects.requireNonNull(inputKeysJson, "inputKeysJson");
        Objects.requireNonNull(status, "status");
        artifactKeys = artifactKeys == null ? Map.of() : Map.copyOf(artifactKeys);
    }

    /** A node to register: nothing has run yet. */
    public static NodeRecord pending(String key, String kind, String configJson, String inputKeysJson, int codeVersion) {
        return new NodeRecord(key, kind, configJson, inputKeysJson, codeVersion, Status.PENDING, 0, null, null,
                Map.of(), null, null, null, null, null, null, null);
    }
}
