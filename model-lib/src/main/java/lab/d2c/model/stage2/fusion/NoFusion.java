package lab.d2c.model.stage2.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
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
    public DiscreteContext context(ParameterStore store, NDArray ids, boolean[] fakeTokens, NDArray like,
            StepRandom rng) {
        return DiscreteContext.NONE;
    }
}
