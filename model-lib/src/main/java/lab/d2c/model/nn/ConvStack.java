package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link ConvEncoder} and {@link ConvDecoder} share: a chain of blocks run in order, then
 * LDM's output head norm_out -> SiLU -> conv_out (3x3).
 */
abstract class ConvStack extends AbstractBlock {

    private final List<Block> chain = new ArrayList<>();
    private GroupNorm normOut;
    private Block convOut;

    /** Appends a block to the chain under a unique name. */
    protected final void append(String name, Block block) {
        chain.add(addChildBlock(name, block));
    }

    /** Appends the output head; call last. */
    protected final void appendHead(int width, int outChannels) {
        normOut = addChildBlock("norm_out", GroupNorm.forChannels(width));
        convOut = addChildBlock("conv_out", Convs.same3x3(outChannels));
    }

    @Override
    protected final NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray h = inputs.singletonOrThrow();
        for (Block block : chain) {
            h = ResnetBlock.apply(block, store, h, training);
        }
        h = Silu.apply(ResnetBlock.apply(normOut, store, h, training));
        return new NDList(ResnetBlock.apply(convOut, store, h, training));
    }

    @Override
    protected final void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (Block block : chain) {
            block.initialize(manager, dataType, shape);
            shape = block.getOutputShapes(new Shape[] {shape})[0];
        }
        normOut.initialize(manager, dataType, shape);
        convOut.initialize(manager, dataType, shape);
    }

    @Override
    public final Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape shape = inputShapes[0];
        for (Block block : chain) {
            shape = block.getOutputShapes(new Shape[] {shape})[0];
        }
        return convOut.getOutputShapes(new Shape[] {shape});
    }

    static void checkMultipliers(List<Integer> widthMultipliers, int baseWidth, int resBlocks) {
        if (widthMultipliers.isEmpty() || widthMultipliers.stream().anyMatch(m -> m < 1)) {
            throw new IllegalArgumentException("widthMultipliers: need at least one, all >= 1, got " + widthMultipliers);
        }
        if (baseWidth < 1) {
            throw new IllegalArgumentException("baseWidth: must be >= 1, got " + baseWidth);
        }
        if (resBlocks < 1) {
            throw new IllegalArgumentException("resBlocks: must be >= 1, got " + resBlocks);
        }
    }
}
