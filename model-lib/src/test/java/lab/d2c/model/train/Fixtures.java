package lab.d2c.model.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.function.Function;
import lab.d2c.model.runtime.Views;

/** A small initialized block (Linear 4 -> 3 then LayerNorm) and gradients of a loss on it. */
final class Fixtures {

    static final Shape INPUT = new Shape(2, 4);

    private Fixtures() {
    }

    static Block block(NDManager manager, int seed) {
        Block block = new SequentialBlock().add(Linear.builder().setUnits(3).build()).add(LayerNorm.builder().build());
        Engine.getInstance().setRandomSeed(seed);
        block.initialize(manager, DataType.FLOAT32, INPUT);
        return block;
    }

    static NDArray input(NDManager manager, float offset) {
        float[] v = new float[(int) INPUT.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) Math.sin(i + offset) * 2;
        }
        return manager.create(v, INPUT);
    }

    /** Zeroes the gradients, then backpropagates {@code loss(output)}. */
    static void backward(NDManager step, Block block, NDArray x, Function<NDArray, NDArray> loss) {
        for (TrainableParameters.Named p : TrainableParameters.trainable(block)) {
            NDArray g = Views.gradient(step, p.array());
            g.subi(g);
        }
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray out = block.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
            collector.backward(loss.apply(out));
        }
    }

    static float[][] values(List<TrainableParameters.Named> parameters) {
        float[][] out = new float[parameters.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = parameters.get(i).array().toFloatArray();
        }
        return out;
    }

    static float[][] gradients(NDManager step, List<TrainableParameters.Named> parameters) {
        float[][] out = new float[parameters.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Views.gradient(step, parameters.get(i).array()).toFloatArray();
        }
        return out;
    }
}
