/**
 * Stage two's config records (paper sections 4.2, 4.3, 5.1): the hybrid model's sizes and
 * regularization ({@link lab.d2c.config.stage2.HybridConfig}, built with its Builder or from a config tree),
 * the fusion kinds ({@link lab.d2c.config.stage2.FusionKind}), the tokens it trains on
 * ({@link lab.d2c.config.stage2.Stage2Condition}), the discrete features' positions
 * ({@link lab.d2c.config.stage2.DiscretePositions}) and the sampler's settings
 * ({@link lab.d2c.config.stage2.HybridSamplingSettings}, {@link lab.d2c.config.stage2.GuidanceSchedule});
 * model-lib's {@code lab.d2c.model.stage2} builds the model.
 */
package lab.d2c.config.stage2;
