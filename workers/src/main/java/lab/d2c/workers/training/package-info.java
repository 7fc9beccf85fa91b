/**
 * What every training node shares: {@link lab.d2c.workers.training.TrainingRun} (resume from the
 * newest verified checkpoint, checkpoints to S3, heartbeats with (step, loss, checkpoint key), metric
 * rows by (node key, name, step)), {@link lab.d2c.workers.training.TrainingSettings} (the
 * {@code <section>.train} keys) and {@link lab.d2c.workers.training.ModelWeights} (final weights with
 * their sha256 and model config, and loading them back downstream).
 */
package lab.d2c.workers.training;
