package lab.d2c.workers.node;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats for a node between its own progress reports. Some steps of a node take longer than
 * the heartbeat timeout without a natural place to report (encoding a 10k-image shard, evaluating
 * on a test set, a training step of a big model on a busy CPU); without this, Temporal would take
 * a live worker for a dead one and retry the node. The repeated beat carries the last details, so
 * a resumed attempt still finds the latest checkpoint key. A dead process stops beating, which is
 * what the timeout is for. A failure of the background beat (the node was cancelled) is rethrown
 * to the node's own thread at its next report.
 */
public final class HeartbeatKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatKeeper.class);

    private final Consumer<Object> heartbeat;
    private final long intervalNanos;
    private final ScheduledExecutorService timer;
    private Object lastDetails;
    private long lastBeat;
    private RuntimeException failure;

    /**
     * @param heartbeat sends one heartbeat (Temporal's {@code ActivityExecutionContext::heartbeat})
     * @param intervalMs the longest quiet time before a background beat
     */
    public HeartbeatKeeper(Consumer<Object> heartbeat, long intervalMs, Object initialDetails) {
        this.heartbeat = heartbeat;
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMs);
        this.lastDetails = initialDetails;
        this.lastBeat = System.nanoTime();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "node-heartbeat");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(1, intervalMs / 4);
        timer.scheduleWithFixedDelay(this::beatIfQuiet, period, period, TimeUnit.MILLISECONDS);
    }

    /** A heartbeat from the node's own thread; rethrows a failure of a background beat first. */
    public synchronized void beat(Object details) {
        if (failure != null) {
            throw failure;
        }
        heartbeat.accept(details);
        lastDetails = details;
        lastBeat = System.nanoTime();
    }

    private synchronized void beatIfQuiet() {
        if (failure != null || System.nanoTime() - lastBeat < intervalNanos) {
            return;
        }
        try {
            heartbeat.accept(lastDetails);
            lastBeat = System.nanoTime();
        } catch (RuntimeException e) {
            LOG.info("background heartbeat ended: {}", e.toString());
            failure = e;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
