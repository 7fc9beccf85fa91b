package lab.d2c.store.artifact;

import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import lab.d2c.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries of S3 calls that failed for a reason that passes (connection refused or reset, a
 * timeout, a 5xx, SlowDown): backoff from 250 ms doubling to 5 s, within a time budget. A
 * storage blip shorter than the budget then costs a wait, not a failed training attempt and
 * the work since its last checkpoint. Answers that will not change (no such key, access
 * denied, a bad request) fail at once.
 */
record S3Retry(Duration budget) {

    private static final Logger LOG = LoggerFactory.getLogger(S3Retry.class);
    private static final Duration FIRST = Duration.ofMillis(250);
    private static final Duration LONGEST = Duration.ofSeconds(5);
    private static final Set<String> TRANSIENT_CODES = Set.of("InternalError", "SlowDown", "ServiceUnavailable",
            "RequestTimeout", "OperationAborted");

    /** The default: long enough to ride out a server restart. */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(90);

    S3Retry {
        if (budget.isNegative()) {
            throw new IllegalArgumentException("retry budget: must be >= 0, got " + budget);
        }
    }

    /** Runs {@code call}, again after transient failures while the budget lasts; failures as {@link S3Call#run}. */
    <T> T run(String bucket, String operation, String key, S3Call<T> call) {
        long start = System.nanoTime();
        try {
            return runTimed(bucket, operation, key, call);
        } finally {
            lab.d2c.store.StoreTimings.s3Since(operation, start);
        }
    }

    private <T> T runTimed(String bucket, String operation, String key, S3Call<T> call) {
        long deadline = System.nanoTime() + budget.toNanos();
        Duration wait = FIRST;
        int attempt = 1;
        while (true) {
            try {
                return call.call();
            } catch (StoreException e) {
                if (!isTransient(e.getCause()) || System.nanoTime() + wait.toNanos() > deadline) {
                    throw e;
                }
                LOG.warn("artifact store: {} '{}' attempt {} failed ({}); retrying in {} ms", operation, key, attempt,
                        e.getMessage(), wait.toMillis());
            } catch (Exception e) {
                if (!isTransient(e) || System.nanoTime() + wait.toNanos() > deadline) {
                    throw S3Call.failure(bucket, operation + (attempt > 1 ? " (after " + attempt + " attempts)" : ""),
                            key, e);
                }
                LOG.warn("artifact store: {} '{}' attempt {} failed ({}); retrying in {} ms", operation, key, attempt,
                        e.toString(), wait.toMillis());
            }
            sleep(wait);
            attempt++;
            wait = wait.multipliedBy(2).compareTo(LONGEST) > 0 ? LONGEST : wait.multipliedBy(2);
        }
    }

    static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponseException r) {
                return TRANSIENT_CODES.contains(r.errorResponse().code());
            }
            if (t instanceof ServerException || t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("artifact store: interrupted while waiting to retry", e);
        }
    }
}
