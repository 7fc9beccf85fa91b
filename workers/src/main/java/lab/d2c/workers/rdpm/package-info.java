/**
 * RDPM's nodes (arXiv:2412.18390), a generator family beside D2C: {@code train-rdpm-tokenizer}, thin glue
 * between the stores and model-lib's {@code lab.d2c.model.rdpm} on the shared
 * {@link lab.d2c.workers.training.TrainOnImagesExecutor}; its settings are model-config's
 * {@code RdpmTokenizerConfig}, read from {@code rdpm.tokenizer} (training under {@code rdpm.tokenizer.train}).
 */
package lab.d2c.workers.rdpm;
