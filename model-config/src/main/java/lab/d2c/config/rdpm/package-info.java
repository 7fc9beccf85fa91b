/**
 * RDPM's config records (Wu, Hu, Wei, "RDPM: Solve Diffusion Probabilistic Models via Recurrent Token
 * Prediction", arXiv:2412.18390), a generator family beside D2C: the diffusion-based tokenizer
 * ({@link lab.d2c.config.rdpm.RdpmTokenizerConfig}, section 3.1, with its variance schedule
 * {@link lab.d2c.config.rdpm.RdpmScheduleKind}, section 4.3 and Table 4), the recurrent token predictor
 * ({@link lab.d2c.config.rdpm.RdpmPredictorConfig}, section 3.2, Table 1) and its sampler's settings ({@link lab.d2c.config.rdpm.RdpmSamplingSettings},
 * Eq. 8, Table 3). Each checks its rules naming the {@code rdpm.*} key and reads itself from the config tree;
 * model-lib's {@code lab.d2c.model.rdpm} builds the models.
 */
package lab.d2c.config.rdpm;
