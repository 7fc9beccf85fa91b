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
 * What the four kinds that read discrete tokens share: Eq. 4's features (their embedding, projections,
 * fake tokens and position term, {@link DiscreteFeatures}) are the discrete context. Each kind says only
 * where those features enter the MAE.
 */
abstract class DiscreteTokenFusion implements Fusion {

    final DiscreteFeatures features;

    DiscreteTokenFusion(DiscreteFeatures features) {
        this.features = features;
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
    public TokenEmbedding discreteEmbedding() {
        return features.embedding();
    }
}
