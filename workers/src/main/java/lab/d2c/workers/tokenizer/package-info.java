/**
 * The tokenizer training nodes {@code train-vq} and {@code train-vae}: thin glue between the
 * stores and model-lib, on the shared {@link lab.d2c.workers.training.TrainingRun}; their settings are
 * model-config's tokenizer records, read by {@link lab.d2c.workers.tokenizer.TokenizerSettings}.
 */
package lab.d2c.workers.tokenizer;
