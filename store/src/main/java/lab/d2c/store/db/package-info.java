/**
 * PostgreSQL: the connection pool and Flyway migrations ({@link lab.d2c.store.db.Database}), and one
 * repository per table group: sweeps, experiments, nodes (with their links to experiments) and metric
 * series; {@link lab.d2c.store.db.ExperimentSearch} finds experiments across sweeps. Rows are records; JSON columns travel as JSON text. Prepared statements only.
 */
package lab.d2c.store.db;
