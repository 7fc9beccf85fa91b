/**
 * The tokenizer training nodes {@code train-vq} and {@code train-vae}: thin glue between the
 * stores and model-lib. {@link lab.d2c.workers.tokenizer.TrainingRun} is the part every later
 * trainer reuses: resume from the newest verified checkpoint, checkpoints to S3, heartbeats with
 * (step, loss, checkpoint key), metric rows by (node key, name, step).
 */
package lab.d2c.workers.tokenizer;
