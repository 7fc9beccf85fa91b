package lab.d2c.store.db;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Finds experiments across sweeps ({@link ExperimentQuery}) in two statements, a page and its count, whatever
 * the number of arms: no graph is planned and no arm is read one by one.
 *
 * <p>A metric's final value for an arm is, as the ablation report reads it, the value an evaluate node of the
 * arm recorded in {@code evaluations} (the latest one when the arm has several, such as an FID curve's points);
 * for a metric no evaluate node records (a training series such as {@code train/loss}), the value at the
 * latest step in {@code metrics} of a node the arm links.
 *
 * <p>A params value matches the arm's value as text ({@code q-former}, {@code true}), or as a number when both
 * are numbers ({@code 0.0010} matches {@code 1e-3}).
 */
public final class ExperimentSearch {

    /** One arm's final value of {@code metric = ?}, as one row {@code (value)}; two parameters, both the name. */
    private static final String FINAL_VALUE = "SELECT x.value FROM ("
            + " SELECT ev.value, 0 AS src, 0::bigint AS step, ev.created_at AS at FROM experiment_nodes en"
            + " JOIN nodes n ON n.key = en.node_key JOIN evaluations ev ON ev.node_key = en.node_key"
            + " WHERE en.experiment_id = e.id AND n.kind = 'evaluate' AND n.status = 'SUCCEEDED' AND ev.metric = ?"
            + " UNION ALL"
            + " SELECT m.value, 1, m.step, m.recorded_at FROM experiment_nodes en JOIN metrics m ON m.run_id = en.node_key"
            + " WHERE en.experiment_id = e.id AND m.name = ?"
            + ") x ORDER BY x.src, x.step DESC, x.at DESC LIMIT 1";

    private static final String COLUMNS = Arrays.stream(ExperimentRepository.COLUMNS.split(","))
            .map(c -> "e." + c.trim()).collect(Collectors.joining(", "));

    /** An experiment found, with the final values of the metrics the query named (null: the arm has none). */
    public record Match(ExperimentRecord experiment, Map<String, Double> metrics) {
    }

    /** One page and the number of matches in all. */
    public record Page(List<Match> items, long total) {
    }

    private final Jdbc jdbc;

    public ExperimentSearch(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "experiments");
    }

    public Page find(ExperimentQuery q) {
        List<String> named = new ArrayList<>();
        q.metrics().forEach(c -> addOnce(named, c.metric()));
        if (q.sortMetric() != null) {
            addOnce(named, q.sortMetric());
        }
        Where where = where(q, named);
        StringBuilder select = new StringBuilder("SELECT ").append(COLUMNS);
        for (int i = 0; i < named.size(); i++) {
            select.append(", fm").append(i).append(".value AS fm").append(i);
        }
        String order = q.sortMetric() == null ? " ORDER BY e.created_at DESC, e.id DESC"
                : " ORDER BY fm" + named.indexOf(q.sortMetric()) + ".value " + (q.descending() ? "DESC" : "ASC")
                        + " NULLS LAST, e.created_at DESC, e.id DESC";
        String sql = select + " FROM experiments e" + laterals(named.size()) + where.sql() + order + " LIMIT ? OFFSET ?";
        List<Match> items = jdbc.query("find experiments", sql, ps -> {
            int next = bindLaterals(ps, named, 1);
            next = where.bind(ps, next);
            ps.setInt(next, q.limit());
            ps.setInt(next + 1, q.offset());
        }, rs -> {
            Map<String, Double> values = new LinkedHashMap<>();
            for (int i = 0; i < named.size(); i++) {
                values.put(named.get(i), Jdbc.nullableDouble(rs, "fm" + i));
            }
            return new Match(ExperimentRepository.row(rs), values);
        });
        // the count needs only the metrics that filter
        List<String> filtering = new ArrayList<>();
        q.metrics().forEach(c -> addOnce(filtering, c.metric()));
        Where countWhere = where(q, filtering);
        long total = jdbc.queryOne("count experiments", "SELECT count(*) FROM experiments e" + laterals(filtering.size())
                + countWhere.sql(), ps -> countWhere.bind(ps, bindLaterals(ps, filtering, 1)), rs -> rs.getLong(1))
                .orElse(0L);
        return new Page(items, total);
    }

    private static void addOnce(List<String> names, String name) {
        if (!names.contains(name)) {
            names.add(name);
        }
    }

    private static String laterals(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(" LEFT JOIN LATERAL (").append(FINAL_VALUE).append(") fm").append(i).append(" ON true");
        }
        return sb.toString();
    }

    private static int bindLaterals(java.sql.PreparedStatement ps, List<String> names, int first)
            throws java.sql.SQLException {
        int i = first;
        for (String name : names) {
            ps.setString(i++, name);
            ps.setString(i++, name);
        }
        return i;
    }

    /** The conditions; metric ones refer to the laterals {@code fm<index in names>}. */
    private static Where where(ExperimentQuery q, List<String> names) {
        Where where = new Where();
        if (q.sweepId() != null) {
            where.add("e.sweep_id = ?", (ps, i) -> ps.setString(i, q.sweepId()));
        }
        if (!q.statuses().isEmpty()) {
            List<String> s = q.statuses().stream().map(Status::name).toList();
            where.add("e.status = ANY (?)", (ps, i) -> Jdbc.setTextArray(ps, i, s));
        }
        if (!q.tags().isEmpty()) {
            where.add("e.tags @> ?", (ps, i) -> Jdbc.setTextArray(ps, i, q.tags()));
        }
        q.params().forEach((key, value) -> {
            BigDecimal number = number(value);
            if (number == null) {
                where.add("e.params ->> ? = ?", (ps, i) -> ps.setString(i, key), (ps, i) -> ps.setString(i, value));
            } else {
                // the CASE keeps the cast away from text values: AND does not fix PostgreSQL's evaluation order
                where.add("e.params ->> ? = ? OR CASE WHEN jsonb_typeof(e.params -> ?) = 'number'"
                        + " THEN (e.params ->> ?)::numeric = ? ELSE false END",
                        (ps, i) -> ps.setString(i, key), (ps, i) -> ps.setString(i, value),
                        (ps, i) -> ps.setString(i, key), (ps, i) -> ps.setString(i, key),
                        (ps, i) -> ps.setBigDecimal(i, number));
            }
        });
        for (ExperimentQuery.MetricCondition c : q.metrics()) {
            // the operator comes from the enum, never from the request
            where.add("fm" + names.indexOf(c.metric()) + ".value " + c.op().symbol() + " ?",
                    (ps, i) -> ps.setDouble(i, c.value()));
        }
        return where;
    }

    private static BigDecimal number(String s) {
        try {
            return new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
