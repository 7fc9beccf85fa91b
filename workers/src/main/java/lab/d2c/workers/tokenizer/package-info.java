/**
 * The tokenizer training nodes {@code train-vq} and {@code train-vae}: thin glue between the
 * stores and model-lib, on the shared {@link lab.d2c.workers.training.TrainingRun}.
 */
package lab.d2c.workers.tokenizer;
