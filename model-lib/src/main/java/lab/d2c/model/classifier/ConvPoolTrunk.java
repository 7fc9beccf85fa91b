package lab.d2c.model.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.model.nn.Convs;
import lab.d2c.model.nn.GroupNorm;

/**
 * The classifier's trunk, VGG-style: per level, {@code convsPerLevel} x (3x3 conv -> GroupNorm -> ReLU),
 * then 2x2 max pooling, so every level halves the resolution. A discriminative trunk wants the
 * pooling and the flattened layout it leaves; the autoencoders' {@code ConvEncoder} (no pooling,
 * global average at the end) learned Fashion-MNIST several times slower per FLOP.
 */
final class ConvPoolTrunk extends AbstractBlock {

    private static final Shape POOL = new Shape(2, 2);

    private final List<Block> convs = new ArrayList<>();
    private final List<Block> norms = new ArrayList<>();
    private final int convsPerLevel;
    private final int levels;
    private final int outWidth;

    ConvPoolTrunk(int baseWidth, List<Integer> widthMultipliers, int convsPerLevel) {
        this.convsPerLevel = convsPerLevel;
        this.levels = widthMultipliers.size();
        this.outWidth = baseWidth * widthMultipliers.get(levels - 1);
        for (int level = 0; level < widthMultipliers.size(); level++) {
            int width = baseWidth * widthMultipliers.get(level);
            for (int c = 0; c < convsPerLevel; c++) {
                convs.add(addChildBlock("level" + level + "_conv" + c, Convs.same3x3(width)));
                norms.add(addChildBlock("level" + level + "_norm" + c, GroupNorm.forChannels(width)));
            }
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray h = inputs.singletonOrThrow();
        for (int i = 0; i < convs.size(); i++) {
            h = convs.get(i).forward(store, new NDList(h), training).singletonOrThrow();
            h = Activation.relu(norms.get(i).forward(store, new NDList(h), training).singletonOrThrow());
            if ((i + 1) % convsPerLevel == 0) {
                h = Pool.maxPool2d(h, POOL, POOL, new Shape(0, 0), false);
            }
        }
        return new NDList(h);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (int i = 0; i < convs.size(); i++) {
            convs.get(i).initialize(manager, dataType, shape);
            shape = convs.get(i).getOutputShapes(new Shape[] {shape})[0];
            norms.get(i).initialize(manager, dataType, shape);
            if ((i + 1) % convsPerLevel == 0) {
                shape = new Shape(shape.get(0), shape.get(1), shape.get(2) / 2, shape.get(3) / 2);
            }
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outWidth, in.get(2) >> levels, in.get(3) >> levels)};
    }
}
