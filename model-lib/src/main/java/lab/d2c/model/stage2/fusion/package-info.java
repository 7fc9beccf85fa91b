/**
 * The fusion modules of stage two (paper section 4.3): how the hybrid model reads stage one's discrete
 * tokens. One {@link lab.d2c.model.stage2.fusion.Fusion} per {@link lab.d2c.config.stage2.FusionKind}, made
 * by {@link lab.d2c.model.stage2.fusion.Fusions#create}: {@link lab.d2c.model.stage2.fusion.NoFusion} (the
 * MAR baseline), {@link lab.d2c.model.stage2.fusion.CrossAttentionFusion} (Eq. 4-6),
 * {@link lab.d2c.model.stage2.fusion.QFormerFusion} (Eq. 7, Table 2) and
 * {@link lab.d2c.model.stage2.fusion.QFormerDecoderFusion} (Table 3) over the
 * {@link lab.d2c.model.stage2.fusion.QFormer}, and {@link lab.d2c.model.stage2.fusion.DisconFusion}
 * (DisCon's position-wise addition). The discrete features they start from (Eq. 4, fake tokens, learned
 * positions) are {@code DiscreteFeatures}. A fusion registers its blocks and parameters on the model
 * itself, so the parameter names and the seeded initialization are those the model always had; the
 * MAE blocks' cross-attention module stays in {@link lab.d2c.model.stage2.TransformerBlock}.
 */
package lab.d2c.model.stage2.fusion;
