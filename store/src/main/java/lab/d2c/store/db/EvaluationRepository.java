package lab.d2c.store.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import javax.sql.DataSource;

/**
 * The {@code evaluations} table: metrics of evaluate nodes, upserted by (node, metric), so a
 * retried evaluation replaces its rows instead of adding to them. Rows are keyed by node, not by
 * experiment: arms that share an evaluate node share its rows, and a report joins them through
 * {@code experiment_nodes}.
 */
public final class EvaluationRepository {

    private static final String UPSERT = "INSERT INTO evaluations (node_key, metric, value, settings)"
            + " VALUES (?, ?, ?, ?::jsonb) ON CONFLICT (node_key, metric) DO UPDATE SET value = EXCLUDED.value,"
            + " settings = EXCLUDED.settings, created_at = now()";

    private final Jdbc jdbc;

    public EvaluationRepository(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "evaluations");
    }

    /** Upserts all rows in one transaction: a node's metrics appear together or not at all. */
    public void upsertAll(List<Evaluation> rows) {
        String what = rows.isEmpty() ? "" : "upsert " + rows.size() + " evaluation(s) of node '" + rows.get(0).nodeKey() + "'";
        jdbc.batchInTransaction(what, UPSERT, rows, (ps, e) -> {
            ps.setString(1, e.nodeKey());
            ps.setString(2, e.metric());
            ps.setDouble(3, e.value());
            ps.setString(4, e.settingsJson());
        });
    }

    /** The rows of the given nodes, by node then metric. */
    public List<Evaluation> ofNodes(Collection<String> nodeKeys) {
        if (nodeKeys.isEmpty()) {
            return List.of();
        }
        String[] keys = nodeKeys.toArray(String[]::new);
        return jdbc.query("evaluations of " + keys.length + " node(s)", "SELECT node_key, metric, value, settings::text"
                + " FROM evaluations WHERE node_key = ANY (?) ORDER BY node_key, metric",
                ps -> ps.setArray(1, ps.getConnection().createArrayOf("text", keys)), EvaluationRepository::row);
    }

    private static Evaluation row(ResultSet rs) throws SQLException {
        return new Evaluation(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getString(4));
    }
}
