package lab.d2c.store.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * One Prometheus registry per process, so {@code ./d2c local}'s API serves the in-process worker's node
 * metrics too, and no component needs a registry handed through its constructors. Meter names are
 * Micrometer's dotted ones ({@code d2c.s3.request}); the registry writes them Prometheus-style
 * ({@code d2c_s3_request_seconds}). Labels stay low-cardinality: kinds, operations, outcomes, never keys or arms.
 */
public final class ProcessMetrics {

    /** The Prometheus text exposition format (0.0.4) that {@link #scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private ProcessMetrics() {
    }

    /** Created on first use: a process that never records or serves metrics pays nothing. */
    private static final class Holder {
        static final PrometheusMeterRegistry REGISTRY = create();

        private static PrometheusMeterRegistry create() {
            PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(r);
            // bound for the life of the process; its GC listener is never closed
            new JvmGcMetrics().bindTo(r);
            new JvmThreadMetrics().bindTo(r);
            new ClassLoaderMetrics().bindTo(r);
            new ProcessorMetrics().bindTo(r);
            new UptimeMetrics().bindTo(r);
            new FileDescriptorMetrics().bindTo(r);
            // libraries that record into Micrometer's global registry land here too
            Metrics.addRegistry(r);
            return r;
        }
    }

    /** The registry every component of this process records into. */
    public static MeterRegistry registry() {
        return Holder.REGISTRY;
    }

    /** Every meter of the process in the Prometheus text format ({@link #CONTENT_TYPE}). */
    public static String scrape() {
        return Holder.REGISTRY.scrape();
    }
}
