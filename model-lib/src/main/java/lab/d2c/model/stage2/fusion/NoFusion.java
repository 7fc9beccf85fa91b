package lab.d2c.model.stage2.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import lab.d2c.model.nn.TokenEmbedding;
import lab.d2c.model.stage2.DiscreteContext;
import lab.d2c.model.train.StepRandom;

/**
 * Fusion {@code none}: the MAR baseline (Li et al. 2024, the continuous stage alone; the "MAR-B" row of
 * Table 1). No discrete tokens, no blocks or parameters of its own: the buffer holds only class tokens.
 */
public final class NoFusion implements Fusion {

    NoFusion() {
    }

    @Override
    public boolean crossAttention() {
        return false;
    }

    @Override
    public void initialize(NDManager manager, DataType dataType, Shape ids) {
    }

    @Override
    public DiscreteContext context(ParameterStore store, NDArray ids, boolean[] fakeTokens, NDArray like,
            StepRandom rng) {
        return DiscreteContext.NONE;
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
        return null;
    }

    @Override
    public QFormer qFormer() {
        return null;
    }
}
