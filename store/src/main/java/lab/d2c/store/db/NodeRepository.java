package lab.d2c.store.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import lab.d2c.store.StoreException;

/** The {@code nodes} table and the {@code experiment_nodes} links. */
public final class NodeRepository {

    private static final String COLUMNS = "n.key, n.kind, n.config, n.input_keys, n.code_version, n.status, n.attempts,"
            + " n.progress, n.progress_message, n.artifact_keys, n.result, n.worker, n.error, n.created_at, n.started_at,"
            + " n.finished_at, n.duration_ms";

    private final Jdbc jdbc;

    public NodeRepository(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "nodes");
    }

    /**
     * Inserts {@code node} as PENDING unless a node with its key exists (then nothing changes).
     *
     * @return the row as it now is: the new one, or the existing one with its status and outputs
     */
    public NodeRecord register(NodeRecord node) {
        Jdbc.requireJson("node '" + node.key() + "' config", node.configJson(), false);
        Jdbc.requireJson("node '" + node.key() + "' input keys", node.inputKeysJson(), false);
        jdbc.update("register '" + node.key() + "'", "INSERT INTO nodes (key, kind, config, input_keys, code_version,"
                + " status) VALUES (?, ?, ?::jsonb, ?::jsonb, ?, ?) ON CONFLICT (key) DO NOTHING", ps -> {
                    ps.setString(1, node.key());
                    ps.setString(2, node.kind());
                    ps.setString(3, node.configJson());
                    ps.setString(4, node.inputKeysJson());
                    ps.setInt(5, node.codeVersion());
                    ps.setString(6, Status.PENDING.name());
                });
        return find(node.key()).orElseThrow(() -> new StoreException("nodes: register '" + node.key()
                + "': the row vanished right after insert"));
    }

    public Optional<NodeRecord> find(String key) {
        return jdbc.queryOne("find '" + key + "'", "SELECT " + COLUMNS + " FROM nodes n WHERE n.key = ?",
                ps -> ps.setString(1, key), NodeRepository::row);
    }

    /** An attempt starts: RUNNING on {@code worker}, attempts + 1, started_at the first time, error cleared; a retry keeps the progress it had. */
    public boolean markRunning(String key, String worker) {
        return jdbc.update("mark '" + key + "' running", "UPDATE nodes SET status = ?, attempts = attempts + 1,"
                + " worker = ?, started_at = COALESCE(started_at, now()), progress = COALESCE(progress, 0),"
                + " error = NULL, finished_at = NULL WHERE key = ?", ps -> {
                    ps.setString(1, Status.RUNNING.name());
                    ps.setString(2, worker);
                    ps.setString(3, key);
                }) == 1;
    }

    /** @param progress fraction done, 0..1 */
    public boolean updateProgress(String key, double progress, String message) {
        if (!(progress >= 0 && progress <= 1)) {
            throw new IllegalArgumentException("node '" + key + "' progress: must be within 0..1, got " + progress);
        }
        return jdbc.update("update progress of '" + key + "'", "UPDATE nodes SET progress = ?, progress_message = ?"
                + " WHERE key = ?", ps -> {
                    ps.setDouble(1, progress);
                    ps.setString(2, message);
                    ps.setString(3, key);
                }) == 1;
    }

    /**
     * @param artifactKeys role to object key
     * @param resultJson   small outputs as JSON text, nullable
     */
    public boolean markSucceeded(String key, Map<String, String> artifactKeys, String resultJson, long durationMs) {
        Objects.requireNonNull(artifactKeys, "artifactKeys");
        String artifacts = Jdbc.json("node '" + key + "' artifact keys", artifactKeys);
        Jdbc.requireJson("node '" + key + "' result", resultJson, true);
        return jdbc.update("mark '" + key + "' succeeded", "UPDATE nodes SET status = ?, artifact_keys = ?::jsonb,"
                + " result = ?::jsonb, duration_ms = ?, progress = 1, error = NULL, finished_at = now() WHERE key = ?",
                ps -> {
                    ps.setString(1, Status.SUCCEEDED.name());
                    ps.setString(2, artifacts);
                    ps.setString(3, resultJson);
                    ps.setLong(4, durationMs);
                    ps.setString(5, key);
                }) == 1;
    }

    /** Marks a node FAILED; a SUCCEEDED node stays as it is (its result is still valid). */
    public boolean markFailed(String key, String error) {
        return finish(key, Status.FAILED, error);
    }

    /** Marks a node CANCELLED; a SUCCEEDED node stays as it is. */
    public boolean markCancelled(String key) {
        return finish(key, Status.CANCELLED, null);
    }

    private boolean finish(String key, Status status, String error) {
        return jdbc.update("mark '" + key + "' " + status, "UPDATE nodes SET status = ?, error = ?, finished_at = now()"
                + " WHERE key = ? AND status <> ?", ps -> {
                    ps.setString(1, status.name());
                    ps.setString(2, error);
                    ps.setString(3, key);
                    ps.setString(4, Status.SUCCEEDED.name());
                }) == 1;
    }

    /**
     * Puts a FAILED or CANCELLED node back to PENDING for a rerun (attempts are kept).
     *
     * @return false when the node does not exist or is in another state
     */
    public boolean resetToPending(String key) {
        return jdbc.update("reset '" + key + "'", "UPDATE nodes SET status = ?, progress = NULL, progress_message = NULL,"
                + " error = NULL, worker = NULL, finished_at = NULL, duration_ms = NULL WHERE key = ? AND status IN (?, ?)",
                ps -> {
                    ps.setString(1, Status.PENDING.name());
                    ps.setString(2, key);
                    ps.setString(3, Status.FAILED.name());
                    ps.setString(4, Status.CANCELLED.name());
                }) == 1;
    }

    /** Records that an experiment asked for a node; once a cache hit, the link stays a cache hit. */
    public void linkExperiment(String experimentId, String nodeKey, boolean cacheHit) {
        jdbc.update("link experiment '" + experimentId + "' to '" + nodeKey + "'", "INSERT INTO experiment_nodes"
                + " (experiment_id, node_key, cache_hit) VALUES (?, ?, ?) ON CONFLICT (experiment_id, node_key)"
                + " DO UPDATE SET cache_hit = experiment_nodes.cache_hit OR EXCLUDED.cache_hit", ps -> {
                    ps.setString(1, experimentId);
                    ps.setString(2, nodeKey);
                    ps.setBoolean(3, cacheHit);
                });
    }

    /** The nodes an experiment asked for, in the order it asked. */
    public List<LinkedNode> listByExperiment(String experimentId) {
        return jdbc.query("list by experiment '" + experimentId + "'", "SELECT " + COLUMNS + ", l.cache_hit,"
                + " l.requested_at FROM experiment_nodes l JOIN nodes n ON n.key = l.node_key"
                + " WHERE l.experiment_id = ? ORDER BY l.requested_at, n.key", ps -> ps.setString(1, experimentId),
                rs -> new LinkedNode(row(rs), rs.getBoolean("cache_hit"), Jdbc.instant(rs, "requested_at")));
    }

    /**
     * The nodes every arm of a sweep asked for, in one statement (a sweep's page reads all its arms at
     * every poll; a statement per arm made that cost grow with the sweep).
     *
     * @return experiment id to its nodes in the order it asked, experiments by arm index; an arm that
     *     asked for nothing yet is absent
     */
    public Map<String, List<LinkedNode>> listBySweep(String sweepId) {
        record Row(String experimentId, LinkedNode node) {
        }
        List<Row> rows = jdbc.query("list by sweep '" + sweepId + "'", "SELECT l.experiment_id, " + COLUMNS
                + ", l.cache_hit, l.requested_at FROM experiments e JOIN experiment_nodes l ON l.experiment_id = e.id"
                + " JOIN nodes n ON n.key = l.node_key WHERE e.sweep_id = ? ORDER BY e.arm_index, l.requested_at, n.key",
                ps -> ps.setString(1, sweepId), rs -> new Row(rs.getString("experiment_id"),
                        new LinkedNode(row(rs), rs.getBoolean("cache_hit"), Jdbc.instant(rs, "requested_at"))));
        Map<String, List<LinkedNode>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            out.computeIfAbsent(r.experimentId(), id -> new ArrayList<>()).add(r.node());
        }
        return out;
    }

    private static NodeRecord row(ResultSet rs) throws SQLException {
        return new NodeRecord(rs.getString("key"), rs.getString("kind"), rs.getString("config"),
                rs.getString("input_keys"), rs.getInt("code_version"), Status.parse("nodes.status", rs.getString("status")),
                rs.getInt("attempts"), Jdbc.nullableDouble(rs, "progress"), rs.getString("progress_message"),
                Jdbc.stringMap("nodes.artifact_keys", rs.getString("artifact_keys")), rs.getString("result"),
                rs.getString("worker"), rs.getString("error"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "started_at"), Jdbc.instant(rs, "finished_at"), Jdbc.nullableLong(rs, "duration_ms"));
    }
}
