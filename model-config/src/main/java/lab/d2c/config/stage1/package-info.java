/**
 * Stage one's config records (paper section 4.1): the discrete AR model's sizes
 * ({@link lab.d2c.config.stage1.DiscreteArConfig}, LlamaGen's {@code ModelArgs}) and how it samples
 * ({@link lab.d2c.config.stage1.SamplingSettings}); model-lib's {@code lab.d2c.model.stage1} builds the model.
 */
package lab.d2c.config.stage1;
