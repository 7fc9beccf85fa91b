package lab.d2c.store.db;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.Set;
import lab.d2c.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries of database work that failed because PostgreSQL was out of reach for a while (a
 * restart, a network blip): SQLSTATE class 08, 57P01-57P03 (shutting down, starting up),
 * 53300 (too many connections), or the pool's timeout. Backoff from 250 ms doubling to 5 s,
 * within a budget (60 s). What runs again must be safe to run again: reads, and whole
 * transactions of upserts; a single update is retried only when no connection could be had,
 * so it never ran.
 */
final class SqlRetry {

    private static final Logger LOG = LoggerFactory.getLogger(SqlRetry.class);
    static final Duration BUDGET = Duration.ofSeconds(60);
    private static final Duration FIRST = Duration.ofMillis(250);
    private static final Duration LONGEST = Duration.ofSeconds(5);
    private static final Set<String> TRANSIENT_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private SqlRetry() {
    }

    static <T> T run(String what, Work<T> work) throws SQLException {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        Duration wait = FIRST;
        int attempt = 1;
        while (true) {
            try {
                return work.run();
            } catch (SQLException e) {
                if (!isTransient(e) || System.nanoTime() + wait.toNanos() > deadline) {
                    throw e;
                }
                LOG.warn("database: {} attempt {} failed ({}: {}); retrying in {} ms", what, attempt, e.getSQLState(),
                        e.getMessage(), wait.toMillis());
            }
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new StoreException("database: " + what + ": interrupted while waiting to retry", ie);
            }
            attempt++;
            wait = wait.multipliedBy(2).compareTo(LONGEST) > 0 ? LONGEST : wait.multipliedBy(2);
        }
    }

    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || TRANSIENT_STATES.contains(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
