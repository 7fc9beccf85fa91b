/**
 * The process's one Micrometer registry, Prometheus-backed ({@link lab.d2c.store.metrics.ProcessMetrics}): the
 * API's {@code GET /metrics} and a worker's metrics endpoint both serve its text. Store records its S3 and SQL
 * timings into it; workers, the API and Temporal's SDK record theirs.
 */
package lab.d2c.store.metrics;
