package lab.d2c.model.stage2.fusion;

import ai.djl.ndarray.NDArray;
import lab.d2c.model.stage2.DiscreteContext;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.HybridConfig;

/**
 * Fusion {@code cross-attention}: the cross-attention module (paper section 4.3, Figure 2a, Eq. 4-6). The
 * discrete features h_q = Linear(Embed(q)) (Eq. 4) are projected once for the encoder's width and once for
 * the decoder's; every MAE encoder and decoder block gets a pre-norm cross-attention between its
 * self-attention and its MLP whose keys and values are those features (Q = W_q h_c, K = W_k h_q,
 * V = W_v h_q, Eq. 5-6; the module itself is {@link lab.d2c.model.stage2.TransformerBlock}'s). Attention
 * cannot tell the rows apart, so with {@link DiscretePositions#LEARNED} each projection gets a learned
 * position term. The encoder's and decoder's inputs are MAR's.
 */
public final class CrossAttentionFusion extends DiscreteTokenFusion {

    CrossAttentionFusion(HybridConfig config, Fusion.Registrar model) {
        super(new DiscreteFeatures(config, model, true, config.discretePositions() == DiscretePositions.LEARNED));
    }

    @Override
    public boolean crossAttention() {
        return true;
    }

    @Override
    public NDArray encoderContext(DiscreteContext discrete) {
        return discrete.toEncoder();
    }

    @Override
    public NDArray decoderContext(DiscreteContext discrete) {
        return discrete.toDecoder();
    }
}
