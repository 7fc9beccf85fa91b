package lab.d2c.store.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import lab.d2c.store.StoreException;

/** Runs prepared statements for one repository; failures become {@link StoreException}s naming what was being done. */
final class Jdbc {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private final DataSource dataSource;
    private final String repository;

    Jdbc(DataSource dataSource, String repository) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.repository = repository;
    }

    /** A read; retried while PostgreSQL is out of reach ({@link SqlRetry}). */
    <T> List<T> query(String what, String sql, Binder binder, RowMapper<T> mapper) {
        long start = System.nanoTime();
        try {
            return SqlRetry.run(what, () -> {
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                    binder.bind(ps);
                    try (ResultSet rs = ps.executeQuery()) {
                        List<T> out = new ArrayList<>();
                        while (rs.next()) {
                            out.add(mapper.map(rs));
                        }
                        return out;
                    }
                }
            });
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            lab.d2c.store.StoreTimings.sqlSince(repository, start);
        }
    }

    <T> Optional<T> queryOne(String what, String sql, Binder binder, RowMapper<T> mapper) {
        return query(what, sql, binder, mapper).stream().findFirst();
    }

    /** A read on {@code connection}, inside its caller's transaction; not retried (the transaction is the caller's). */
    <T> Optional<T> queryOne(Connection connection, String what, String sql, Binder binder, RowMapper<T> mapper) {
        long start = System.nanoTime();
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(mapper.map(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            lab.d2c.store.StoreTimings.sqlSince(repository, start);
        }
    }

    /** Binds one item's row. */
    @FunctionalInterface
    interface ItemBinder<T> {
        void bind(PreparedStatement ps, T item) throws SQLException;
    }

    /**
     * Runs {@code sql} once per item as one batch in one transaction: all rows or none. Callers
     * pass upserts, so the whole transaction is retried while PostgreSQL is out of reach.
     */
    <T> void batchInTransaction(String what, String sql, List<T> items, ItemBinder<T> binder) {
        if (items.isEmpty()) {
            return;
        }
        long start = System.nanoTime();
        try {
            SqlRetry.run(what, () -> {
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (T item : items) {
                            binder.bind(ps, item);
                            ps.addBatch();
                        }
                        ps.executeBatch();
                        c.commit();
                    } catch (SQLException | RuntimeException e) {
                        rollbackQuietly(c);
                        throw e;
                    } finally {
                        resetQuietly(c);
                    }
                }
                return null;
            });
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            lab.d2c.store.StoreTimings.sqlSince(repository, start);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            // the connection is gone: so is the transaction
        }
    }

    private static void resetQuietly(Connection c) {
        try {
            c.setAutoCommit(true);
        } catch (SQLException e) {
            // a broken connection; the pool drops it
        }
    }

    /** One statement; waits for a connection while PostgreSQL is out of reach, but never runs twice. */
    int update(String what, String sql, Binder binder) {
        long start = System.nanoTime();
        try (Connection c = SqlRetry.run(what, dataSource::getConnection)) {
            return update(c, what, sql, binder);
        } catch (SQLException e) {
            throw failure(what, e);
        } finally {
            lab.d2c.store.StoreTimings.sqlSince(repository, start);
        }
    }

    int update(Connection connection, String what, String sql, Binder binder) {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    StoreException failure(String what, SQLException e) {
        return new StoreException(repository + ": " + what + " failed: " + e.getMessage(), e);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** A {@code TEXT[]} column; null stays null. */
    static List<String> textList(ResultSet rs, String column) throws SQLException {
        java.sql.Array a = rs.getArray(column);
        return a == null ? null : List.of((String[]) a.getArray());
    }

    /** Binds a {@code TEXT[]} parameter. */
    static void setTextArray(PreparedStatement ps, int index, List<String> values) throws SQLException {
        ps.setArray(index, ps.getConnection().createArrayOf("text", values.toArray()));
    }

    /**
     * Binds an annotate statement's parameters (tags, note, id): a null tags or note binds SQL NULL, which
     * the statement's COALESCE reads as "leave it as it is". Sweeps and experiments share it.
     */
    static void bindAnnotation(PreparedStatement ps, List<String> tags, String note, String id) throws SQLException {
        if (tags == null) {
            ps.setNull(1, java.sql.Types.ARRAY);
        } else {
            setTextArray(ps, 1, tags);
        }
        ps.setString(2, note);
        ps.setString(3, id);
    }

    static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Double nullableDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }

    static Map<String, String> stringMap(String column, String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return Map.copyOf(JSON.readValue(json, STRING_MAP));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(column + ": not a JSON object of strings: " + e.getOriginalMessage(), e);
        }
    }

    static String json(String field, Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + ": not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Fails fast, naming the field, when a JSON column value is not valid JSON text. */
    static String requireJson(String field, String json, boolean nullable) {
        if (json == null) {
            if (nullable) {
                return null;
            }
            throw new IllegalArgumentException(field + ": required JSON, got null");
        }
        if (json.isBlank()) {
            throw new IllegalArgumentException(field + ": required JSON, got an empty string");
        }
        try {
            JSON.readTree(json);
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(field + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
