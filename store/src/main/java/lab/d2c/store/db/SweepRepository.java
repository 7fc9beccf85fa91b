package lab.d2c.store.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code sweeps} table. */
public final class SweepRepository {

    private static final String COLUMNS = "id, name, spec_text, spec, status, arm_count, workflow_id, error,"
            + " created_at, updated_at, finished_at, tags, note";
    private static final String INSERT = "INSERT INTO sweeps (id, name, spec_text, spec, status, arm_count, workflow_id,"
            + " error) VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?)";

    private final Jdbc jdbc;

    public SweepRepository(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "sweeps");
    }

    /** Inserts on {@code connection}, so a sweep and its experiments can commit together. */
    public void insert(Connection connection, SweepRecord sweep) {
        jdbc.update(connection, "insert '" + sweep.id() + "'", INSERT, values(sweep));
    }

    public void insert(SweepRecord sweep) {
        jdbc.update("insert '" + sweep.id() + "'", INSERT, values(sweep));
    }

    private static Jdbc.Binder values(SweepRecord sweep) {
        Jdbc.requireJson("sweep '" + sweep.id() + "' spec", sweep.specJson(), false);
        return ps -> {
            ps.setString(1, sweep.id());
            ps.setString(2, sweep.name());
            ps.setString(3, sweep.specText());
            ps.setString(4, sweep.specJson());
            ps.setString(5, sweep.status().name());
            ps.setInt(6, sweep.armCount());
            ps.setString(7, sweep.workflowId());
            ps.setString(8, sweep.error());
        };
    }

    public Optional<SweepRecord> find(String id) {
        return jdbc.queryOne("find '" + id + "'", "SELECT " + COLUMNS + " FROM sweeps WHERE id = ?",
                ps -> ps.setString(1, id), SweepRepository::row);
    }

    /** Newest first. */
    public List<SweepRecord> list(int limit, int offset) {
        return list(List.of(), List.of(), limit, offset);
    }

    /**
     * Newest first, filtered.
     *
     * @param statuses any of these (empty: any status)
     * @param tags     all of these (empty: no condition)
     */
    public List<SweepRecord> list(List<Status> statuses, List<String> tags, int limit, int offset) {
        if (limit < 0 || offset < 0) {
            throw new IllegalArgumentException("limit/offset: must be >= 0, got " + limit + "/" + offset);
        }
        Where where = filter(statuses, tags);
        return jdbc.query("list", "SELECT " + COLUMNS + " FROM sweeps" + where.sql()
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", ps -> {
                    int next = where.bind(ps, 1);
                    ps.setInt(next, limit);
                    ps.setInt(next + 1, offset);
                }, SweepRepository::row);
    }

    /** How many sweeps {@link #list(List, List, int, int)} pages through. */
    public long count(List<Status> statuses, List<String> tags) {
        Where where = filter(statuses, tags);
        return jdbc.queryOne("count", "SELECT count(*) FROM sweeps" + where.sql(), ps -> where.bind(ps, 1),
                rs -> rs.getLong(1)).orElse(0L);
    }

    private static Where filter(List<Status> statuses, List<String> tags) {
        Where where = new Where();
        if (!statuses.isEmpty()) {
            List<String> names = statuses.stream().map(Status::name).toList();
            where.add("status = ANY (?)", (ps, i) -> Jdbc.setTextArray(ps, i, names));
        }
        if (!tags.isEmpty()) {
            where.add("tags @> ?", (ps, i) -> Jdbc.setTextArray(ps, i, tags));
        }
        return where;
    }

    /**
     * Sets the tags and the note; a null leaves that one as it is (a PATCH that sends only one).
     *
     * @return the sweep as it is now, empty when there is no such sweep
     */
    public Optional<SweepRecord> annotate(String id, List<String> tags, String note) {
        return jdbc.queryOne("annotate '" + id + "'", "UPDATE sweeps SET tags = COALESCE(?, tags),"
                + " note = COALESCE(?, note), updated_at = now() WHERE id = ? RETURNING " + COLUMNS, ps -> Jdbc.bindAnnotation(ps, tags, note, id), SweepRepository::row);
    }

    /** Sweeps that should still be running (PENDING or RUNNING), oldest first. */
    public List<SweepRecord> listUnfinished() {
        return jdbc.query("list unfinished", "SELECT " + COLUMNS + " FROM sweeps WHERE status IN (?, ?)"
                + " ORDER BY created_at, id", ps -> {
                    ps.setString(1, Status.PENDING.name());
                    ps.setString(2, Status.RUNNING.name());
                }, SweepRepository::row);
    }

    public long count() {
        return count(List.of(), List.of());
    }

    /**
     * Sets status and error (null clears it); a terminal status sets finished_at, any other clears it.
     *
     * @return false when there is no such sweep
     */
    public boolean updateStatus(String id, Status status, String error) {
        return jdbc.update("update status of '" + id + "' to " + status, "UPDATE sweeps SET status = ?, error = ?,"
                + " updated_at = now(), finished_at = CASE WHEN ? THEN COALESCE(finished_at, now()) ELSE NULL END"
                + " WHERE id = ?", ps -> {
                    ps.setString(1, status.name());
                    ps.setString(2, error);
                    ps.setBoolean(3, status.isTerminal());
                    ps.setString(4, id);
                }) == 1;
    }

    /** Deletes the sweep and (cascading) its experiments. @return false when there was none */
    public boolean delete(String id) {
        return jdbc.update("delete '" + id + "'", "DELETE FROM sweeps WHERE id = ?", ps -> ps.setString(1, id)) == 1;
    }

    private static SweepRecord row(ResultSet rs) throws SQLException {
        return new SweepRecord(rs.getString("id"), rs.getString("name"), rs.getString("spec_text"), rs.getString("spec"),
                Status.parse("sweeps.status", rs.getString("status")), rs.getInt("arm_count"),
                rs.getString("workflow_id"), rs.getString("error"), Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"), Jdbc.instant(rs, "finished_at"), Jdbc.textList(rs, "tags"),
                rs.getString("note"));
    }
}
