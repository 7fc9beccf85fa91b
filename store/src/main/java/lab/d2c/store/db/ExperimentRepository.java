package lab.d2c.store.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code experiments} table. */
public final class ExperimentRepository {

    static final String COLUMNS = "id, sweep_id, arm_index, name, seed, params, config, status, workflow_id,"
            + " error, created_at, started_at, finished_at, nodes_total, planned_node_keys, tags, note";
    private static final String INSERT = "INSERT INTO experiments (id, sweep_id, arm_index, name, seed, params, config,"
            + " status, workflow_id, error, nodes_total, planned_node_keys) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)";

    private final Jdbc jdbc;

    public ExperimentRepository(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "experiments");
    }

    /** Inserts on {@code connection}, so a sweep and its experiments can commit together. */
    public void insert(Connection connection, ExperimentRecord experiment) {
        jdbc.update(connection, "insert '" + experiment.id() + "'", INSERT, values(experiment));
    }

    public void insert(ExperimentRecord experiment) {
        jdbc.update("insert '" + experiment.id() + "'", INSERT, values(experiment));
    }

    private static Jdbc.Binder values(ExperimentRecord e) {
        Jdbc.requireJson("experiment '" + e.id() + "' params", e.paramsJson(), false);
        Jdbc.requireJson("experiment '" + e.id() + "' config", e.configJson(), false);
        return ps -> {
            ps.setString(1, e.id());
            ps.setString(2, e.sweepId());
            ps.setInt(3, e.armIndex());
            ps.setString(4, e.name());
            ps.setLong(5, e.seed());
            ps.setString(6, e.paramsJson());
            ps.setString(7, e.configJson());
            ps.setString(8, e.status().name());
            ps.setString(9, e.workflowId());
            ps.setString(10, e.error());
            ps.setObject(11, e.nodesTotal(), java.sql.Types.INTEGER);
            if (e.plannedNodeKeys() == null) {
                ps.setNull(12, java.sql.Types.ARRAY);
            } else {
                ps.setArray(12, ps.getConnection().createArrayOf("text", e.plannedNodeKeys().toArray()));
            }
        };
    }

    public Optional<ExperimentRecord> find(String id) {
        return jdbc.queryOne("find '" + id + "'", "SELECT " + COLUMNS + " FROM experiments WHERE id = ?",
                ps -> ps.setString(1, id), ExperimentRepository::row);
    }

    /** The arms of a sweep by arm index. */
    public List<ExperimentRecord> listBySweep(String sweepId) {
        return jdbc.query("list by sweep '" + sweepId + "'", "SELECT " + COLUMNS
                + " FROM experiments WHERE sweep_id = ? ORDER BY arm_index", ps -> ps.setString(1, sweepId),
                ExperimentRepository::row);
    }

    /** The ids of a sweep's arms by arm index (the answer to a replayed submission). */
    public List<String> idsBySweep(String sweepId) {
        return jdbc.query("list ids by sweep '" + sweepId + "'", "SELECT id FROM experiments WHERE sweep_id = ?"
                + " ORDER BY arm_index", ps -> ps.setString(1, sweepId), rs -> rs.getString("id"));
    }

    /** Oldest first. */
    public List<ExperimentRecord> listByStatus(Status status) {
        return jdbc.query("list by status " + status, "SELECT " + COLUMNS
                + " FROM experiments WHERE status = ? ORDER BY created_at, id", ps -> ps.setString(1, status.name()),
                ExperimentRepository::row);
    }

    /**
     * Sets status and error (null clears it). RUNNING sets started_at the first time; a terminal status
     * sets finished_at, any other clears it (a resumed arm is unfinished again).
     *
     * @return false when there is no such experiment
     */
    public boolean updateStatus(String id, Status status, String error) {
        return jdbc.update("update status of '" + id + "' to " + status, "UPDATE experiments SET status = ?, error = ?,"
                + " started_at = CASE WHEN ? THEN COALESCE(started_at, now()) ELSE started_at END,"
                + " finished_at = CASE WHEN ? THEN COALESCE(finished_at, now()) ELSE NULL END WHERE id = ?", ps -> {
                    ps.setString(1, status.name());
                    ps.setString(2, error);
                    ps.setBoolean(3, status == Status.RUNNING);
                    ps.setBoolean(4, status.isTerminal());
                    ps.setString(5, id);
                }) == 1;
    }

    /**
     * Sets the tags and the note; a null leaves that one as it is (a PATCH that sends only one).
     *
     * @return the experiment as it is now, empty when there is no such experiment
     */
    public Optional<ExperimentRecord> annotate(String id, List<String> tags, String note) {
        return jdbc.queryOne("annotate '" + id + "'", "UPDATE experiments SET tags = COALESCE(?, tags),"
                + " note = COALESCE(?, note) WHERE id = ? RETURNING " + COLUMNS, ps -> Jdbc.bindAnnotation(ps, tags, note, id), ExperimentRepository::row);
    }

    static ExperimentRecord row(ResultSet rs) throws SQLException {
        return new ExperimentRecord(rs.getString("id"), rs.getString("sweep_id"), rs.getInt("arm_index"),
                rs.getString("name"), rs.getLong("seed"), rs.getString("params"), rs.getString("config"),
                Status.parse("experiments.status", rs.getString("status")), rs.getString("workflow_id"),
                rs.getString("error"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "finished_at"), nullableInt(rs, "nodes_total"), Jdbc.textList(rs, "planned_node_keys"),
                Jdbc.textList(rs, "tags"), rs.getString("note"));
    }

    private static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
