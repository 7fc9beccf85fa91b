package lab.d2c.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import java.util.Map;
import lab.d2c.model.runtime.Scalars;

/** 8 -> 32 -> LayerNorm -> tanh -> 1 regression MLP with noisy targets drawn from the step's StepRandom. */
final class TinyMlp implements TrainableModel {

    static final int INPUTS = 8;
    private final Block block = new SequentialBlock()
            .add(Linear.builder().setUnits(32).build())
            .add(LayerNorm.builder().build())
            .add(Activation::tanh)
            .add(Linear.builder().setUnits(1).build());

    @Override
    public Block block() {
        return block;
    }

    @Override
    public Shape[] initShapes() {
        return new Shape[] {new Shape(1, INPUTS)};
    }

    @Override
    public StepLoss loss(NDManager step, NDList batch, StepRandom rng) {
        NDArray x = batch.get(0);
        NDArray y = batch.get(1);
        NDArray noise = Scalars.mul(step, rng.normal(step, y.getShape(), "target-noise"), 0.01);
        NDArray target = y.add(noise);
        NDArray prediction = block.forward(new ParameterStore(step, false), new NDList(x), true).singletonOrThrow();
        NDArray error = prediction.sub(target);
        return new StepLoss(error.square().mean(), Map.of("mae", error.abs().mean()));
    }
}
