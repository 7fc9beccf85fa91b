/**
 * Stage two, the hybrid model of D2C (paper sections 4.2, 4.3, 5.1): the MAE encoder-decoder over
 * continuous tokens ({@link lab.d2c.model.stage2.HybridModel}) with its masking
 * ({@link lab.d2c.model.stage2.MaskRatioSampler}, {@link lab.d2c.model.stage2.GenerationOrder},
 * {@link lab.d2c.model.stage2.MaskSchedule}), the fusion modules
 * ({@link lab.d2c.config.stage2.FusionKind}, cross-attention in
 * {@link lab.d2c.model.stage2.TransformerBlock}, {@link lab.d2c.model.stage2.QFormer}), and
 * generation ({@link lab.d2c.model.stage2.HybridSampler}). Stage one's tokens arrive as ids; its
 * embedding table can be copied in and frozen ({@code TokenEmbedding.copyFrom}, {@code freeze}).
 */
package lab.d2c.model.stage2;
