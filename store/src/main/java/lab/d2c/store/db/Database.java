package lab.d2c.store.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import lab.d2c.store.StoreException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * A small connection pool on PostgreSQL, migrated to the newest schema ({@code db/migration} on the
 * classpath, from d2c-migrations) when opened. Several processes may open it at once: Flyway serialises
 * migrations with a database lock.
 */
public final class Database implements AutoCloseable {

    private static final java.util.concurrent.atomic.AtomicInteger POOLS = new java.util.concurrent.atomic.AtomicInteger();


    public static final int POOL_SIZE = 8;
    public static final String MIGRATIONS = "classpath:db/migration";

    private final HikariDataSource pool;

    private Database(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Opens {@code settings}' JDBC URL, user and password. */
    public static Database open(DatabaseSettings settings) {
        if (settings.jdbcUrl() == null || settings.jdbcUrl().isBlank()) {
            throw new IllegalArgumentException("D2C_JDBC_URL: empty; set it or let local mode start the embedded PostgreSQL");
        }
        if (settings.user() == null || settings.user().isBlank()) {
            throw new IllegalArgumentException("D2C_JDBC_USER: empty; set the database user of " + settings.jdbcUrl());
        }
        return open(settings.jdbcUrl(), settings.user(), settings.password());
    }

    public static Database open(String jdbcUrl, String user, String password) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbc url: must start with jdbc:postgresql:, got '" + jdbcUrl + "'");
        }
        HikariConfig hc = new HikariConfig();
        // A name of its own per pool: Hikari's meters are tagged by pool name and a closing pool removes
        // its meters, which took a still-open pool's of the same name with them (tests open several).
        hc.setPoolName("d2c-store-" + POOLS.incrementAndGet());
        hc.setJdbcUrl(jdbcUrl);
        hc.setUsername(user);
        hc.setPassword(password == null || password.isEmpty() ? null : password);
        hc.setMaximumPoolSize(POOL_SIZE);
        hc.setMinimumIdle(1);
        hc.setConnectionTimeout(10_000);
        // the pool's own meters (hikaricp_connections_acquire_seconds, _active, _pending) beside the statement timers
        hc.setMetricRegistry(lab.d2c.store.metrics.ProcessMetrics.registry());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to PostgreSQL at " + jdbcUrl + " as '" + user + "': "
                    + rootMessage(e), e);
        }
        try {
            migrate(pool);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return new Database(pool);
    }

    private static void migrate(DataSource dataSource) {
        try {
            Flyway.configure().dataSource(dataSource).locations(MIGRATIONS).load().migrate();
        } catch (FlywayException e) {
            throw new StoreException("migrating the database schema failed: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    public DataSource dataSource() {
        return pool;
    }

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws
     * (the exception propagates; an {@link SQLException} as a {@link StoreException}).
     */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.apply(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(c, e);
                if (e instanceof SQLException sql) {
                    throw new StoreException("transaction failed and was rolled back: " + sql.getMessage(), sql);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("transaction: connection failed: " + e.getMessage(), e);
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "Database[" + pool.getJdbcUrl() + "]";
    }
}
