package lab.d2c.model.stage2.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import lab.d2c.model.nn.TokenEmbedding;
import lab.d2c.model.stage2.DiscreteContext;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.model.train.StepRandom;

/**
 * Fusion {@code cross-attention}: the cross-attention module (paper section 4.3, Figure 2a, Eq. 4-6). The
 * discrete features h_q = Linear(Embed(q)) (Eq. 4) are projected once for the encoder's width and once for
 * the decoder's; every MAE encoder and decoder block gets a pre-norm cross-attention between its
 * self-attention and its MLP whose keys and values are those features (Q = W_q h_c, K = W_k h_q,
 * V = W_v h_q, Eq. 5-6; the module itself is {@link lab.d2c.model.stage2.TransformerBlock}'s). Attention
 * cannot tell the rows apart, so with {@link DiscretePositions#LEARNED} each projection gets a learned
 * position term. The encoder's and decoder's inputs are MAR's.
 */
public final class CrossAttentionFusion implements Fusion {

    private final DiscreteFeatures features;

    CrossAttentionFusion(HybridConfig config, Fusion.Registrar model) {
        this.features = new DiscreteFeatures(config, model, true,
                config.discretePositions() == DiscretePositions.LEARNED);
    }

    @Override
    public boolean crossAttention() {
        return true;
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape ids) {
        features.initialize(manager, dataType, ids);
    }

    @Override
    public DiscreteContext context(ParameterStore store, NDArray ids, boolean[] fakeTokens, NDArray like,
            StepRandom rng) {
        return features.compute(store, ids, fakeTokens, like, rng);
    }

    @Override
    public NDArray buffer(NDArray classSlots, DiscreteContext discrete) {
        return classSlots;
    }

    @Override
    public NDArray encoderTokens(NDArray tokens, DiscreteContext discrete) {
        return tokens;
    }

    @Override
    public NDArray encoderContext(DiscreteContext discrete) {
        return discrete.toEncoder();
    }

    @Override
    public NDArray decoderRows(NDArray rows, DiscreteContext discrete) {
        return rows;
    }

    @Override
    public NDArray decoderContext(DiscreteContext discrete) {
        return discrete.toDecoder();
    }

    @Override
    public TokenEmbedding discreteEmbedding() {
        return features.embedding();
    }

    @Override
    public QFormer qFormer() {
        return null;
    }
}
