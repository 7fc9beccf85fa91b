package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The residual block of LDM's and LlamaGen's autoencoders ({@code ResnetBlock} in
 * ldm/modules/diffusionmodules/model.py and tokenizer/tokenizer_image/vq_model.py):
 * h = conv2(silu(norm2(conv1(silu(norm1(x)))))), out = skip(x) + h, where skip is the identity when
 * the widths match and a 1x1 convolution ({@code nin_shortcut}) when they differ. No dropout (both
 * use p = 0 for their tokenizers) and no timestep embedding.
 */
public final class ResnetBlock extends AbstractBlock {

    private final int inChannels;
    private final int outChannels;
    private final GroupNorm norm1;
    private final Conv2d conv1;
    private final GroupNorm norm2;
    private final Conv2d conv2;
    private final Conv2d shortcut;

    public ResnetBlock(int inChannels, int outChannels) {
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.norm1 = addChildBlock("norm1", GroupNorm.forChannels(inChannels));
        this.conv1 = addChildBlock("conv1", Convs.same3x3(outChannels));
        this.norm2 = addChildBlock("norm2", GroupNorm.forChannels(outChannels));
        this.conv2 = addChildBlock("conv2", Convs.same3x3(outChannels));
        this.shortcut = inChannels == outChannels ? null : addChildBlock("nin_shortcut", Convs.pointwise(outChannels));
    }

    public boolean hasShortcutConv() {
        return shortcut != null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray h = Silu.apply(norm1.forward(store, new NDList(x), training).singletonOrThrow());
        h = conv1.forward(store, new NDList(h), training).singletonOrThrow();
        h = Silu.apply(norm2.forward(store, new NDList(h), training).singletonOrThrow());
        h = conv2.forward(store, new NDList(h), training).singletonOrThrow();
        NDArray skip = shortcut == null ? x : shortcut.forward(store, new NDList(x), training).singletonOrThrow();
        return new NDList(skip.add(h));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        Shape out = new Shape(in.get(0), outChannels, in.get(2), in.get(3));
        norm1.initialize(manager, dataType, in);
        conv1.initialize(manager, dataType, in);
        norm2.initialize(manager, dataType, out);
        conv2.initialize(manager, dataType, out);
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, in);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.get(1) != inChannels) {
            throw new IllegalArgumentException("ResnetBlock expects " + inChannels + " channels, got " + in);
        }
        return new Shape[] {new Shape(in.get(0), outChannels, in.get(2), in.get(3))};
    }

    /** Runs {@code block} on one array (a helper for the stacks built from these blocks). */
    static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }
}
