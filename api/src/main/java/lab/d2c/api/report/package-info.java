/**
 * The sweep report (paper Tables 1-3 style): the ablation table, rows = arms (seeds pooled),
 * columns = metrics as mean and standard deviation over seeds, and FID-vs-AR-steps and
 * FID-vs-guidance curves when a sweep varies them. Served as JSON and CSV and printed by the demo.
 * Reads PostgreSQL only; knows nothing of Temporal or the models.
 */
package lab.d2c.api.report;
