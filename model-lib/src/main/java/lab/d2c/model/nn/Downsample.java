package lab.d2c.model.nn;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Halves height and width with a learned 3x3 convolution of stride 2 (LDM's {@code Downsample} with
 * {@code with_conv=True}). LDM pads (0, 1, 0, 1) asymmetrically and uses padding 0; DJL's Conv2d pads
 * symmetrically, so this uses padding 1, which gives the same output size for even inputs with the
 * sampling grid shifted by one pixel.
 */
public final class Downsample extends AbstractBlock {

    private final Conv2d conv;

    public Downsample(int channels) {
        this.conv = addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(3, 3))
                .optStride(new Shape(2, 2)).optPadding(new Shape(1, 1)).setFilters(channels).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return conv.forward(store, inputs, training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.get(2) % 2 != 0 || in.get(3) % 2 != 0) {
            throw new IllegalArgumentException("Downsample needs even height and width, got " + in);
        }
        return new Shape[] {new Shape(in.get(0), in.get(1), in.get(2) / 2, in.get(3) / 2)};
    }
}
