package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Doubles height and width: nearest-neighbour x2 (every pixel repeated along both axes, as
 * {@code F.interpolate(scale_factor=2.0, mode="nearest")}) then a 3x3 convolution (LDM's
 * {@code Upsample} with {@code with_conv=True}).
 */
public final class Upsample extends AbstractBlock {

    private final int channels;
    private final Conv2d conv;

    public Upsample(int channels) {
        this.channels = channels;
        this.conv = addChildBlock("conv", Convs.same3x3(channels));
    }

    /** Nearest-neighbour x2 of an NCHW array: {@code repeat(axis, 2)} is torch's repeat_interleave. */
    public static NDArray nearest2x(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return conv.forward(store, new NDList(nearest2x(inputs.singletonOrThrow())), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, getOutputShapes(inputShapes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), channels, in.get(2) * 2, in.get(3) * 2)};
    }
}
