/**
 * RDPM's config records (Wu, Hu, Wei, arXiv:2412.18390): the recurrent token predictor's sizes
 * ({@link lab.d2c.config.rdpm.RdpmPredictorConfig}, section 3.2, Table 1) and how it samples
 * ({@link lab.d2c.config.rdpm.RdpmSamplingSettings}, section 3.2, Eq. 8, Table 3), beside the diffusion-based
 * tokenizer's records; model-lib's {@code lab.d2c.model.rdpm} builds the models.
 */
package lab.d2c.config.rdpm;
