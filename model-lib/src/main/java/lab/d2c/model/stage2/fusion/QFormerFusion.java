package lab.d2c.model.stage2.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import lab.d2c.model.stage2.DiscreteContext;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.model.train.StepRandom;

/**
 * Fusion {@code q-former}: the encoder-decoder Q-Former module (paper section 4.3, Figure 2b, Eq. 7; the
 * paper's choice, the "Encoder-Decoder" row of Table 3). The discrete features h_q (Eq. 4, projected to
 * the encoder's width, with a learned position term under {@link DiscretePositions#LEARNED}) pass through
 * the {@link QFormer}, h_query = QFormer(e_query, Embed(q)) (Eq. 7), whose L query outputs take the last L
 * of the MAE's buffer slots in place of class tokens (section 5.3, Table 2: L = 16 of 64); the encoder
 * then mixes them with the continuous tokens by self-attention. The blocks have no cross-attention.
 */
public class QFormerFusion extends DiscreteTokenFusion { // not final: QFormerDecoderFusion is this module without its encoder

    private final QFormer qFormer;

    QFormerFusion(HybridConfig config, Fusion.Registrar model) {
        this(config, model, false);
    }

    /** Open to {@link QFormerDecoderFusion} only, which is this module without the Q-Former's encoder. */
    QFormerFusion(HybridConfig config, Fusion.Registrar model, boolean decoderOnly) {
        super(new DiscreteFeatures(config, model, false, config.discretePositions() == DiscretePositions.LEARNED));
        this.qFormer = model.addChildBlock("qformer", new QFormer(config.queries(), config.encoderWidth(),
                config.encoderHeads(), config.qformerDepth(), config.mlpRatio(), decoderOnly,
                config.attentionDropout(), config.projectionDropout()));
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape ids) {
        super.initialize(manager, dataType, ids);
        qFormer.initialize(manager, dataType, new Shape(ids.get(0), ids.get(1), qFormer.width()));
    }

    @Override
    public DiscreteContext context(ParameterStore store, NDArray ids, boolean[] fakeTokens, NDArray like,
            StepRandom rng) {
        DiscreteContext f = super.context(store, ids, fakeTokens, like, rng);
        return new DiscreteContext(f.toEncoder(), f.toDecoder(), qFormer.forward(store, f.toEncoder(), rng));
    }

    @Override
    public NDArray buffer(NDArray classSlots, DiscreteContext discrete) {
        return QFormer.intoBuffer(classSlots, discrete.queries());
    }

    @Override
    public QFormer qFormer() {
        return qFormer;
    }
}
