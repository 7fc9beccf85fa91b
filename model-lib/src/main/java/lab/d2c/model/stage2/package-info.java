/**
 * Stage two, the hybrid model of D2C (paper sections 4.2, 4.3, 5.1): the MAE encoder-decoder over
 * continuous tokens ({@link lab.d2c.model.stage2.HybridModel}) with its masking
 * ({@link lab.d2c.model.stage2.MaskRatioSampler}, {@link lab.d2c.model.stage2.GenerationOrder},
 * {@link lab.d2c.model.stage2.MaskSchedule}), its blocks ({@link lab.d2c.model.stage2.TransformerBlock}
 * with the optional cross-attention, {@link lab.d2c.model.stage2.Attention}), and generation
 * ({@link lab.d2c.model.stage2.HybridSampler}; from labels to pixels, stage one and the VAE decoder
 * included, {@link lab.d2c.model.stage2.D2cGenerator}). How the discrete tokens enter is
 * {@link lab.d2c.config.stage2.FusionKind}, implemented in {@link lab.d2c.model.stage2.fusion} (section
 * 4.3, one class per kind); what they contribute is a {@link lab.d2c.model.stage2.DiscreteContext}.
 * Stage one's tokens arrive as ids; its embedding table can be copied in and frozen
 * ({@code TokenEmbedding.copyFrom}, {@code freeze}).
 */
package lab.d2c.model.stage2;
