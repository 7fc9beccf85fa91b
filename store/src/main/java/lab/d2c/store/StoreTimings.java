package lab.d2c.store;

import java.util.concurrent.atomic.LongAdder;

/**
 * Process-wide totals of the time spent in S3 and PostgreSQL calls, for {@code ./d2c bench platform}: the
 * orchestration overhead it reports counts what the platform's storage costs inside and between nodes.
 * Adding to a {@link LongAdder} costs nanoseconds next to a network round trip, so it is always on.
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

    /** @param startNanos {@link System#nanoTime()} when the S3 call began */
    public static void s3Since(long startNanos) {
        S3_NANOS.add(System.nanoTime() - startNanos);
        S3_CALLS.increment();
    }

    /** Time spent reading an open S3 stream; not another call. */
    public static void s3ReadSince(long startNanos) {
        S3_NANOS.add(System.nanoTime() - startNanos);
    }

    /** @param startNanos {@link System#nanoTime()} when the statement began */
    public static void sqlSince(long startNanos) {
        SQL_NANOS.add(System.nanoTime() - startNanos);
        SQL_CALLS.increment();
    }
}
