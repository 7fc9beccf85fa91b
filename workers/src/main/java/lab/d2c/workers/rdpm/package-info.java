/**
 * RDPM's nodes (arXiv:2412.18390), a generator family beside D2C, thin glue between the stores and model-lib's
 * {@code lab.d2c.model.rdpm}: {@code train-rdpm-tokenizer} (section 3.1, on the shared
 * {@link lab.d2c.workers.training.TrainOnImagesExecutor}; model-config's {@code RdpmTokenizerConfig} from
 * {@code rdpm.tokenizer}, training under {@code rdpm.tokenizer.train}), {@code pretokenize-rdpm} (every training
 * image in both flips quantized into T code maps with per-item noise from {@code rdpm.pretokenize.noise_seed}; shards
 * and a {@link lab.d2c.workers.rdpm.RdpmCodeManifest}, read back by {@link lab.d2c.workers.rdpm.RdpmCodeShards}),
 * {@code train-rdpm} (section 3.2's recurrent token predictor on those codes and the regenerated noise, through
 * {@link lab.d2c.workers.training.TrainingRun}; {@code RdpmPredictorConfig} from {@code rdpm.predictor}, training
 * under {@code rdpm.predictor.train}),
 * and {@code sample-rdpm} ({@link lab.d2c.workers.rdpm.SampleRdpmExecutor}: loads the trained predictor and
 * tokenizer, runs model-lib's {@code RdpmGenerator} with {@code rdpm.sample}'s settings and writes the images as
 * {@code sample} does, so {@code evaluate} scores them).
 */
package lab.d2c.workers.rdpm;
