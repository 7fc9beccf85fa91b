package lab.d2c.model.stage1;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.SplittableRandom;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.runtime.Views;

/** Small stage-one models for tests. */
final class ArFixtures {

    private ArFixtures() {
    }

    /** vocab 16, 4x4 grid, 4 classes, width 32, 2 blocks, 2 heads, no dropout. */
    static DiscreteArConfig small() {
        return new DiscreteArConfig(16, 4, 4, 32, 2, 2, 1, 8, 1e-5, 10000, 0, 0, 0, 0);
    }

    /**
     * An initialized model whose output layer is random instead of zero, so logits depend on the
     * input from the start (LlamaGen's zero init makes every untrained logit 0).
     */
    static DiscreteArModel randomized(DiscreteArConfig config, NDManager manager, long seed) {
        DiscreteArModel model = new DiscreteArModel(config);
        Engine.getInstance().setRandomSeed((int) seed);
        model.initialize(manager, DataType.FLOAT32, model.initShapes());
        SplittableRandom r = new SplittableRandom(seed);
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getKey().matches("\\d*output_weight")) {
                float[] v = new float[Math.toIntExact(p.getValue().getArray().size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextGaussian() * 0.5);
                }
                Views.overwrite(manager, p.getValue().getArray(), v);
            }
        }
        return model;
    }

    static int[] randomIds(int count, int vocab, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = r.nextInt(vocab);
        }
        return ids;
    }
}
