package lab.d2c.model.stage2;

import lab.d2c.config.diffusion.NoiseScheduleKind;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.HybridConfig;

/** Small stage-two configurations for tests: a 4x4 grid of 4-channel tokens, 3 classes, 16 codes. */
final class HybridFixtures {

    static final int GRID = 4;
    static final int CHANNELS = 4;
    static final int CLASSES = 3;
    static final int VOCAB = 16;

    private HybridFixtures() {
    }

    static HybridConfig small(FusionKind fusion, int queries) {
        return small(fusion, queries, true);
    }

    static HybridConfig small(FusionKind fusion, int queries, boolean learnSigma) {
        return new HybridConfig(GRID, CHANNELS, CLASSES, VOCAB, 32, 1, 4, 32, 1, 4, 2.0, 8, fusion, queries, 1, 16,
                0.7, 0.1, 0.1, 0.0, 0.0, 32, 2, 2, NoiseScheduleKind.LINEAR, 20, DiscretePositions.LEARNED, learnSigma);
    }
}
