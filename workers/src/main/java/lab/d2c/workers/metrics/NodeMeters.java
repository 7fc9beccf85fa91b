package lab.d2c.workers.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import lab.d2c.store.metrics.ProcessMetrics;

/**
 * The node meters of this process, labelled by node kind (a fixed set of about fifteen) and outcome, never by
 * node key, arm or sweep: {@code d2c_nodes_running{kind}}, {@code d2c_node_duration_seconds{kind,outcome}} and
 * {@code d2c_train_steps_total{kind}} (its rate is steps/s). Static because the registry is the process's: two
 * workers in one JVM (tests) add to the same gauges rather than each registering a gauge the registry ignores.
 */
public final class NodeMeters {

    /** How a node attempt ended on this worker. */
    public enum Outcome {
        /** Its result was recorded. */
        SUCCEEDED,
        /** Bad input: failed for good, not retried. */
        BAD_INPUT,
        /** Cancelled, or its activity completed elsewhere. */
        CANCELLED,
        /** Any other failure; Temporal retries it. */
        FAILED;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static final Map<String, AtomicInteger> RUNNING = new ConcurrentHashMap<>();

    private NodeMeters() {
    }

    /** Registers the running gauge of every kind at 0, so a scrape lists the kinds before any node ran. */
    public static void declare(Collection<String> kinds) {
        kinds.forEach(NodeMeters::running);
    }

    /** A node attempt of {@code kind} started here; pair it with {@link #finished}. */
    public static void started(String kind) {
        running(kind).incrementAndGet();
    }

    /** @param nanos the attempt's wall time on this worker */
    public static void finished(String kind, Outcome outcome, long nanos) {
        running(kind).decrementAndGet();
        Timer.builder("d2c.node.duration").description("node attempts on this worker, by kind and outcome")
                .tag("kind", kind).tag("outcome", outcome.label())
                .register(ProcessMetrics.registry()).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One optimizer step of a training node of {@code kind}. */
    public static void trainStep(String kind) {
        Counter.builder("d2c.train.steps").description("training steps done on this worker; rate() gives steps/s")
                .tag("kind", kind).register(ProcessMetrics.registry()).increment();
    }

    private static AtomicInteger running(String kind) {
        return RUNNING.computeIfAbsent(kind, k -> {
            AtomicInteger n = new AtomicInteger();
            // the map keeps n reachable: Micrometer holds a gauge's object weakly
            Gauge.builder("d2c.nodes.running", n, AtomicInteger::get).description("node attempts running on this worker")
                    .tag("kind", k).register(ProcessMetrics.registry());
            return n;
        });
    }
}
