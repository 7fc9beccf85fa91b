/**
 * The report's plots as PNG images, drawn headless by JFreeChart from the same {@code SweepReport} the
 * table shows (so a plot and the table cannot disagree): FID per arm with its 95% interval, FID against a
 * varied sampling setting, training loss per arm, and a 10 x 10 grid of each arm's samples by class.
 * Each plot class states its image size; {@link lab.d2c.api.report.plot.PlotService} gathers the inputs
 * from PostgreSQL and S3 and serves them by name.
 */
package lab.d2c.api.report.plot;
