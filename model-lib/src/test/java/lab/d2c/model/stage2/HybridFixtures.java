package lab.d2c.model.stage2;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.SplittableRandom;
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

    /**
     * Moves every weight by 0.05 times a draw of {@code SplittableRandom(seed)}, in registration order. The head
     * starts at zero (AdaLN-Zero), so at init neither the loss nor a sample reads z; moved, both depend on the
     * fusion, and every block gets a gradient.
     */
    static void moveOffZeroInit(HybridModel model, long seed) {
        SplittableRandom shift = new SplittableRandom(seed);
        for (Pair<String, Parameter> p : model.getParameters()) {
            NDArray array = p.getValue().getArray();
            float[] values = array.toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) (0.05 * shift.nextGaussian());
            }
            array.set(values);
        }
    }
}
