package lab.d2c.store.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code sweep_idempotency_keys} table: which sweep an {@code Idempotency-Key} of a sweep
 * submission created, and a hash of the body it came with. A row goes with its sweep (ON DELETE CASCADE).
 */
public final class IdempotencyKeyRepository {

    /** A recorded key. */
    public record KeyRecord(String key, String requestSha256, String sweepId, Instant createdAt) {

        public KeyRecord {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(requestSha256, "requestSha256");
            Objects.requireNonNull(sweepId, "sweepId");
        }
    }

    private static final String COLUMNS = "key, request_sha256, sweep_id, created_at";

    private final Jdbc jdbc;

    public IdempotencyKeyRepository(DataSource dataSource) {
        this.jdbc = new Jdbc(dataSource, "sweep_idempotency_keys");
    }

    /**
     * Claims {@code key} for {@code sweepId} inside the caller's transaction. When another open
     * transaction has claimed it, PostgreSQL makes this wait for that one's end: if it committed the
     * claim fails, if it rolled back this one takes the key. The sweep row may come later in the same
     * transaction (the foreign key is checked at commit).
     *
     * @return true when this transaction now holds the key; false when a committed row has it
     */
    public boolean claim(Connection connection, String key, String requestSha256, String sweepId) {
        return jdbc.update(connection, "claim key for '" + sweepId + "'", "INSERT INTO sweep_idempotency_keys"
                + " (key, request_sha256, sweep_id) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING", ps -> {
                    ps.setString(1, key);
                    ps.setString(2, requestSha256);
                    ps.setString(3, sweepId);
                }) == 1;
    }

    /** The row of {@code key} as {@code connection}'s transaction sees it now (under READ COMMITTED: committed rows). */
    public Optional<KeyRecord> find(Connection connection, String key) {
        return jdbc.queryOne(connection, "find key", "SELECT " + COLUMNS + " FROM sweep_idempotency_keys WHERE key = ?",
                ps -> ps.setString(1, key), IdempotencyKeyRepository::row);
    }

    public Optional<KeyRecord> find(String key) {
        return jdbc.queryOne("find key", "SELECT " + COLUMNS + " FROM sweep_idempotency_keys WHERE key = ?",
                ps -> ps.setString(1, key), IdempotencyKeyRepository::row);
    }

    private static KeyRecord row(ResultSet rs) throws SQLException {
        return new KeyRecord(rs.getString("key"), rs.getString("request_sha256"), rs.getString("sweep_id"),
                Jdbc.instant(rs, "created_at"));
    }
}
