package lab.d2c.store.db;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The {@code metrics} table: scalar series upserted by (run, name, step), so a replayed step
 * replaces its value instead of adding a row.
 */
public final class MetricsRepository {

    private static final String UPSERT = "INSERT INTO metrics (run_id, name, step, value) VALUES (?, ?, ?, ?)"
            + " ON CONFLICT (run_id, name, step) DO UPDATE SET value = EXCLUDED.value, recorded_at = now()";
    private static final String COLUMNS = "run_id, name, step, value";

    private final DataSource dataSource;
    private final Jdbc jdbc;

    public MetricsRepository(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new Jdbc(dataSource, "metrics");
    }

    /** The database this repository writes to (for the other repositories a node needs). */
    public DataSource dataSource() {
        return dataSource;
    }

    public void upsert(String runId, String name, long step, double value) {
        upsertBatch(List.of(new MetricPoint(runId, name, step, value)));
    }

    /** Upserts all points in one transaction. */
    public void upsertBatch(List<MetricPoint> points) {
        String what = points.isEmpty() ? "" : "upsert " + points.size() + " point(s) of run '" + points.get(0).runId() + "'";
        jdbc.batchInTransaction(what, UPSERT, points, (ps, p) -> {
            ps.setString(1, p.runId());
            ps.setString(2, p.name());
            ps.setLong(3, p.step());
            ps.setDouble(4, p.value());
        });
    }

    /** Every series of a run: name (sorted) to points by step. */
    public Map<String, List<MetricPoint>> series(String runId) {
        Map<String, List<MetricPoint>> out = new LinkedHashMap<>();
        for (MetricPoint p : jdbc.query("series of run '" + runId + "'", "SELECT " + COLUMNS
                + " FROM metrics WHERE run_id = ? ORDER BY name, step", ps -> ps.setString(1, runId), MetricsRepository::row)) {
            out.computeIfAbsent(p.name(), n -> new ArrayList<>()).add(p);
        }
        return out;
    }

    /** One series by step. */
    public List<MetricPoint> series(String runId, String name) {
        return jdbc.query("series '" + name + "' of run '" + runId + "'", "SELECT " + COLUMNS
                + " FROM metrics WHERE run_id = ? AND name = ? ORDER BY step", ps -> {
                    ps.setString(1, runId);
                    ps.setString(2, name);
                }, MetricsRepository::row);
    }

    /** Metric names of a run, sorted. */
    public List<String> names(String runId) {
        return jdbc.query("names of run '" + runId + "'", "SELECT DISTINCT name FROM metrics WHERE run_id = ?"
                + " ORDER BY name", ps -> ps.setString(1, runId), rs -> rs.getString(1));
    }

    private static MetricPoint row(ResultSet rs) throws SQLException {
        return new MetricPoint(rs.getString("run_id"), rs.getString("name"), rs.getLong("step"), rs.getDouble("value"));
    }
}
