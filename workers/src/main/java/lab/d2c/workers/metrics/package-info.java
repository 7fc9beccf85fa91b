/**
 * A worker's metrics: the node meters ({@link lab.d2c.workers.metrics.NodeMeters}: nodes running, node
 * durations by outcome, training steps) in the process's registry, and the endpoint a separate worker
 * process serves them on ({@link lab.d2c.workers.metrics.MetricsServer}, {@code D2C_METRICS_HOST:D2C_METRICS_PORT}).
 */
package lab.d2c.workers.metrics;
