/**
 * The two stores every process shares: artifacts and checkpoints in S3 ({@link lab.d2c.store.artifact}),
 * sweeps, experiments, nodes and metrics in PostgreSQL ({@link lab.d2c.store.db}), the embedded servers
 * local mode and tests run ({@link lab.d2c.store.embedded}) and where they live ({@link lab.d2c.store.config}).
 * Owns {@link lab.d2c.store.StoreException}, the one unchecked error both stores raise.
 * Knows nothing of Temporal, workflows or model code.
 */
package lab.d2c.store;
