/**
 * RDPM's nodes (arXiv:2412.18390), a generator family beside D2C: thin glue between the stores and model-lib's
 * {@code lab.d2c.model.rdpm}. {@code train-rdpm-tokenizer} runs on the shared
 * {@link lab.d2c.workers.training.TrainOnImagesExecutor}; its settings are model-config's
 * {@code RdpmTokenizerConfig}, read from {@code rdpm.tokenizer} (training under {@code rdpm.tokenizer.train}).
 * {@code sample-rdpm} ({@link lab.d2c.workers.rdpm.SampleRdpmExecutor}) loads the trained predictor and tokenizer,
 * runs model-lib's {@code RdpmGenerator} with {@code rdpm.sample}'s settings and writes the images as {@code sample}
 * does, so {@code evaluate} scores them.
 */
package lab.d2c.workers.rdpm;
