package lab.d2c.model.stage2.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import lab.d2c.model.nn.TokenEmbedding;
import lab.d2c.model.stage2.DiscreteContext;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.model.train.StepRandom;

/**
 * Fusion {@code discon}: DisCon's position-wise addition (DisCon, Zheng et al. 2025, arXiv:2507.01756,
 * section 3.3), a comparison arm beside the paper's two modules. The discrete features (Eq. 4's
 * Linear(Embed(q)), projected once for the encoder's width and once for the decoder's) are added to the
 * token rows of the encoder's input, after the token projection, and of the decoder's input, after its
 * positions; the buffer rows get nothing. Each feature lands on its own grid cell, so no position term is
 * needed ({@link lab.d2c.config.stage2.DiscretePositions} does not apply), and the blocks have no
 * cross-attention.
 */
public final class DisconFusion implements Fusion {

    private final HybridConfig config;
    private final DiscreteFeatures features;

    DisconFusion(HybridConfig config, Fusion.Registrar model) {
        this.config = config;
        this.features = new DiscreteFeatures(config, model, true, false);
    }

    @Override
    public boolean crossAttention() {
        return false;
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
        return tokens.add(discrete.toEncoder());
    }

    @Override
    public NDArray encoderContext(DiscreteContext discrete) {
        return null;
    }

    @Override
    public NDArray decoderRows(NDArray rows, DiscreteContext discrete) {
        NDArray none = rows.getManager().zeros(new Shape(rows.getShape().get(0), config.bufferSize(),
                config.decoderWidth()), rows.getDataType(), rows.getDevice());
        return rows.add(NDArrays.concat(new NDList(none, discrete.toDecoder()), 1));
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
        return null;
    }
}
