package lab.d2c.store;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import lab.d2c.store.metrics.ProcessMetrics;

/**
 * Process-wide totals of the time spent in S3 and PostgreSQL calls, for {@code ./d2c bench platform}: the
 * orchestration overhead it reports counts what the platform's storage costs inside and between nodes.
 * Adding to a {@link LongAdder} costs nanoseconds next to a network round trip, so it is always on.
 *
 * <p>Each call is also a Micrometer timer in {@link ProcessMetrics}: {@code d2c_s3_request_seconds{operation}}
 * (put, get, stat, list, ...) and {@code d2c_sql_statement_seconds{repository}} (nodes, metrics, ...), with a
 * few histogram buckets so Prometheus can take quantiles across processes.
 */
public final class StoreTimings {

    private static final LongAdder S3_NANOS = new LongAdder();
    private static final LongAdder S3_CALLS = new LongAdder();
    private static final LongAdder SQL_NANOS = new LongAdder();
    private static final LongAdder SQL_CALLS = new LongAdder();

    private StoreTimings() {
    }

    /**
     * Totals since the process started.
     *
     * @param s3Nanos  time inside artifact store calls, reading a returned stream included
     * @param sqlNanos time inside repository statements, waiting for a pooled connection included
     */
    public record Snapshot(long s3Nanos, long s3Calls, long sqlNanos, long sqlCalls) {

        /** What happened between {@code earlier} and this snapshot. */
        public Snapshot minus(Snapshot earlier) {
            return new Snapshot(s3Nanos - earlier.s3Nanos, s3Calls - earlier.s3Calls, sqlNanos - earlier.sqlNanos,
                    sqlCalls - earlier.sqlCalls);
        }
    }

    public static Snapshot snapshot() {
        return new Snapshot(S3_NANOS.sum(), S3_CALLS.sum(), SQL_NANOS.sum(), SQL_CALLS.sum());
    }

    /** Bucket bounds of the timers: a local round trip, a LAN one, a slow statement, a checkpoint upload. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
            Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(2500), Duration.ofSeconds(10)};

    /**
     * @param operation  what the call did ({@code put}, {@code get}, {@code copy to 'key'}): the words before a
     *                   quote become the label, so keys never do
     * @param startNanos {@link System#nanoTime()} when the S3 call began
     */
    public static void s3Since(String operation, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        S3_NANOS.add(nanos);
        S3_CALLS.increment();
        timer("d2c.s3.request", "operation", label(operation), "S3 calls of the artifact store, retries included")
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Time spent reading an open S3 stream; not another call. */
    public static void s3ReadSince(long startNanos) {
        S3_NANOS.add(System.nanoTime() - startNanos);
    }

    /**
     * @param repository the table the repository owns ({@code nodes}, {@code metrics}, ...)
     * @param startNanos {@link System#nanoTime()} when the statement began
     */
    public static void sqlSince(String repository, long startNanos) {
        long nanos = System.nanoTime() - startNanos;
        SQL_NANOS.add(nanos);
        SQL_CALLS.increment();
        timer("d2c.sql.statement", "repository", repository, "repository statements, waiting for a pooled connection"
                + " and retries included").record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The label of an operation: lower case, the words before any quoted key, joined by underscores. */
    static String label(String operation) {
        int quote = operation.indexOf('\'');
        String words = (quote < 0 ? operation : operation.substring(0, quote)).trim().toLowerCase(Locale.ROOT);
        return words.isEmpty() ? "other" : words.replaceAll("[^a-z0-9]+", "_");
    }

    private static Timer timer(String name, String tag, String value, String description) {
        // Micrometer returns the registered timer for a known name and tags: a map lookup per call
        return Timer.builder(name).description(description).tag(tag, value).serviceLevelObjectives(BUCKETS)
                .register(ProcessMetrics.registry());
    }
}
