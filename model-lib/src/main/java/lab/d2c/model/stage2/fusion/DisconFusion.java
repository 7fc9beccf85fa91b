package lab.d2c.model.stage2.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import lab.d2c.model.stage2.DiscreteContext;
import lab.d2c.config.stage2.HybridConfig;

/**
 * Fusion {@code discon}: DisCon's position-wise addition (DisCon, Zheng et al. 2025, arXiv:2507.01756,
 * section 3.3), a comparison arm beside the paper's two modules. The discrete features (Eq. 4's
 * Linear(Embed(q)), projected once for the encoder's width and once for the decoder's) are added to the
 * token rows of the encoder's input, after the token projection, and of the decoder's input, after its
 * positions; the buffer rows get nothing. Each feature lands on its own grid cell, so no position term is
 * needed ({@link lab.d2c.config.stage2.DiscretePositions} does not apply), and the blocks have no
 * cross-attention.
 */
public final class DisconFusion extends DiscreteTokenFusion {

    private final HybridConfig config;

    DisconFusion(HybridConfig config, Fusion.Registrar model) {
        super(new DiscreteFeatures(config, model, true, false));
        this.config = config;
    }

    @Override
    public NDArray encoderTokens(NDArray tokens, DiscreteContext discrete) {
        return tokens.add(discrete.toEncoder());
    }

    @Override
    public NDArray decoderRows(NDArray rows, DiscreteContext discrete) {
        NDArray none = rows.getManager().zeros(new Shape(rows.getShape().get(0), config.bufferSize(),
                config.decoderWidth()), rows.getDataType(), rows.getDevice());
        return rows.add(NDArrays.concat(new NDList(none, discrete.toDecoder()), 1));
    }
}
