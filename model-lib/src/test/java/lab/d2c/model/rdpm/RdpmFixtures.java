package lab.d2c.model.rdpm;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.SplittableRandom;
import lab.d2c.config.rdpm.RdpmPredictorConfig;
import lab.d2c.model.runtime.Views;

/** Small RDPM predictors and codebooks for tests. */
final class RdpmFixtures {

    static final int K = 16;
    static final int D = 4;
    static final int GRID = 4;
    static final int STEPS = 4;
    static final int CLASSES = 3;

    private RdpmFixtures() {
    }

    /** K 16, D 4, 4x4 grid, T 4, 3 classes, width 32, 2 blocks, 2 heads, no class dropout. */
    static RdpmPredictorConfig small() {
        return RdpmPredictorConfig.builder().setVocabSize(K).setCodeDim(D).setGrid(GRID).setSteps(STEPS)
                .setNumClasses(CLASSES).optWidth(32).optDepth(2).optHeads(2).optFfnMultipleOf(8)
                .optClassDropout(0).build();
    }

    /** A codebook [K, D] from N(0, 1). */
    static NDArray codebook(NDManager manager, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[K * D];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return manager.create(v, new Shape(K, D));
    }

    static int[] randomCodes(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = r.nextInt(K);
        }
        return ids;
    }

    /**
     * An initialized predictor whose zero-initialized AdaLN modulations and output layer are random instead, so
     * its logits depend on every input (t and y included) from the start.
     */
    static RecurrentTokenPredictor randomized(RdpmPredictorConfig config, CodeLookup lookup, NDManager manager,
            long seed) {
        RecurrentTokenPredictor model = new RecurrentTokenPredictor(config, lookup);
        Engine.getInstance().setRandomSeed((int) seed);
        model.initialize(manager, DataType.FLOAT32, model.initShapes());
        SplittableRandom r = new SplittableRandom(seed);
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getKey().endsWith("adaLN_modulation_weight") || p.getKey().endsWith("output_weight")) {
                float[] v = new float[Math.toIntExact(p.getValue().getArray().size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * 0.3);
                }
                Views.overwrite(manager, p.getValue().getArray(), v);
            }
        }
        return model;
    }
}
