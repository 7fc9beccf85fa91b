package lab.d2c.store.artifact;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import lab.d2c.store.StoreException;

/** The {@code artifacts} table: every object the store wrote, with size, sha256 and the node that wrote it. */
public final class ArtifactCatalog {

    private static final String COLUMNS = "key, size_bytes, sha256, content_type, created_at";
    private static final String UPSERT = "INSERT INTO artifacts (key, size_bytes, sha256, content_type, node_key, created_at)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET size_bytes = EXCLUDED.size_bytes,"
            + " sha256 = EXCLUDED.sha256, content_type = EXCLUDED.content_type, node_key = EXCLUDED.node_key,"
            + " created_at = EXCLUDED.created_at";
    private static final String COPY = "INSERT INTO artifacts (key, size_bytes, sha256, content_type, node_key, created_at)"
            + " SELECT ?, size_bytes, sha256, content_type, node_key, ? FROM artifacts WHERE key = ?"
            + " ON CONFLICT (key) DO UPDATE SET size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256,"
            + " content_type = EXCLUDED.content_type, node_key = EXCLUDED.node_key, created_at = EXCLUDED.created_at";

    private final DataSource dataSource;

    public ArtifactCatalog(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** Inserts or replaces the entry of {@code info.key()}; {@code nodeKey} may be null. */
    public void record(ArtifactInfo info, String nodeKey) {
        Objects.requireNonNull(info, "info");
        if (info.sha256() == null) {
            throw new IllegalArgumentException("artifact '" + info.key() + "': sha256 is required in the catalog");
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(UPSERT)) {
            ps.setString(1, info.key());
            ps.setLong(2, info.sizeBytes());
            ps.setString(3, info.sha256());
            ps.setString(4, info.contentType());
            ps.setString(5, nodeKey);
            ps.setObject(6, OffsetDateTime.ofInstant(info.createdAt(), ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("record", info.key(), e);
        }
    }

    /**
     * Records {@code dstKey} as a copy of {@code srcKey} (same size, sha256, type and node).
     *
     * @return false when {@code srcKey} has no entry (nothing recorded)
     */
    boolean recordCopy(String srcKey, String dstKey, Instant createdAt) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(COPY)) {
            ps.setString(1, dstKey);
            ps.setObject(2, OffsetDateTime.ofInstant(createdAt, ZoneOffset.UTC));
            ps.setString(3, srcKey);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw failure("record copy of '" + srcKey + "' as", dstKey, e);
        }
    }

    public Optional<ArtifactInfo> find(String key) {
        List<ArtifactInfo> found = query("find", key, "SELECT " + COLUMNS + " FROM artifacts WHERE key = ?");
        return found.stream().findFirst();
    }

    /** Entries written by one node, by key. */
    public List<ArtifactInfo> listByNode(String nodeKey) {
        return query("list by node", nodeKey, "SELECT " + COLUMNS + " FROM artifacts WHERE node_key = ? ORDER BY key");
    }

    /** Entries whose key starts with {@code prefix} ("" = all), by key. */
    public List<ArtifactInfo> listByPrefix(String prefix) {
        return query("list by prefix", prefix,
                "SELECT " + COLUMNS + " FROM artifacts WHERE starts_with(key, ?) ORDER BY key");
    }

    /** Removes the entry of {@code key}, if any. */
    public void delete(String key) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM artifacts WHERE key = ?")) {
            ps.setString(1, key);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw failure("delete", key, e);
        }
    }

    private List<ArtifactInfo> query(String operation, String argument, String sql) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, argument);
            try (ResultSet rs = ps.executeQuery()) {
                List<ArtifactInfo> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new ArtifactInfo(rs.getString("key"), rs.getLong("size_bytes"), rs.getString("sha256"),
                            rs.getString("content_type"), rs.getObject("created_at", OffsetDateTime.class).toInstant()));
                }
                return out;
            }
        } catch (SQLException e) {
            throw failure(operation, argument, e);
        }
    }

    private static StoreException failure(String operation, String key, SQLException e) {
        return new StoreException("artifact catalog: " + operation + " '" + key + "' failed: " + e.getMessage(), e);
    }
}
