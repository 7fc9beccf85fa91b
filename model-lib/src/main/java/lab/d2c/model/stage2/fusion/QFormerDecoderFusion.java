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
 * Fusion {@code q-former-decoder}: the decoder-only Q-Former of the architecture ablation (paper section
 * 5.3, the "Decoder" row of Table 3). As {@link QFormerFusion} (Eq. 7, the queries' outputs in the last L
 * buffer slots) without the Q-Former's encoder: the queries cross-attend to the discrete features h_q
 * (Eq. 4, with a learned position term under {@link DiscretePositions#LEARNED}) directly, with no
 * self-attention over them first. The paper finds it worse (FID 2.55 against 2.43 with guidance).
 */
public final class QFormerDecoderFusion implements Fusion {

    private final DiscreteFeatures features;
    private final QFormer qFormer;

    QFormerDecoderFusion(HybridConfig config, Fusion.Registrar model) {
        this.features = new DiscreteFeatures(config, model, false,
                config.discretePositions() == DiscretePositions.LEARNED);
        this.qFormer = model.addChildBlock("qformer", new QFormer(config.queries(), config.encoderWidth(),
                config.encoderHeads(), config.qformerDepth(), config.mlpRatio(), true, config.attentionDropout(),
                config.projectionDropout()));
    }

    @Override
    public boolean crossAttention() {
        return false;
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape ids) {
        features.initialize(manager, dataType, ids);
        qFormer.initialize(manager, dataType, new Shape(ids.get(0), ids.get(1), qFormer.width()));
    }

    @Override
    public DiscreteContext context(ParameterStore store, NDArray ids, boolean[] fakeTokens, NDArray like,
            StepRandom rng) {
        DiscreteContext f = features.compute(store, ids, fakeTokens, like, rng);
        return new DiscreteContext(f.toEncoder(), f.toDecoder(), qFormer.forward(store, f.toEncoder(), rng));
    }

    @Override
    public NDArray buffer(NDArray classSlots, DiscreteContext discrete) {
        return QFormer.intoBuffer(classSlots, discrete.queries());
    }

    @Override
    public NDArray encoderTokens(NDArray tokens, DiscreteContext discrete) {
        return tokens;
    }

    @Override
    public NDArray encoderContext(DiscreteContext discrete) {
        return null;
    }

    @Override
    public NDArray decoderRows(NDArray rows, DiscreteContext discrete) {
        return rows;
    }

    @Override
    public NDArray decoderContext(DiscreteContext discrete) {
        return null;
    }

    @Override
    public TokenEmbedding discreteEmbedding() {
        return features.embedding();
    }

    @Override
    public QFormer qFormer() {
        return qFormer;
    }
}
