package lab.d2c.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The SwiGLU feed-forward of Llama (Shazeer, 2020): w2(silu(w1 x) * w3 x), no biases. The hidden
 * width is LlamaGen's: 2/3 of 4 x dim, rounded up to a multiple of {@code multipleOf}
 * (LlamaGen {@code find_multiple(int(2 * 4 * dim / 3), multiple_of)}). Dropout on the output is
 * the caller's (it needs the step's seeded draws).
 */
public final class SwiGluFeedForward extends AbstractBlock {

    private final int dim;
    private final int hidden;
    private final Linear w1;
    private final Linear w3;
    private final Linear w2;

    public SwiGluFeedForward(int dim, int multipleOf, float initStd) {
        this.dim = dim;
        this.hidden = hiddenWidth(dim, multipleOf);
        this.w1 = addChildBlock("w1", dense(hidden, initStd));
        this.w3 = addChildBlock("w3", dense(hidden, initStd));
        this.w2 = addChildBlock("w2", dense(dim, initStd));
    }

    /** LlamaGen's hidden width: int(2 * 4 * dim / 3) rounded up to a multiple of {@code multipleOf}. */
    public static int hiddenWidth(int dim, int multipleOf) {
        if (dim < 1 || multipleOf < 1) {
            throw new IllegalArgumentException("SwiGluFeedForward: dim and multipleOf must be >= 1, got " + dim
                    + ", " + multipleOf);
        }
        int h = 2 * 4 * dim / 3;
        return h % multipleOf == 0 ? h : h + multipleOf - h % multipleOf;
    }

    /** A bias-free linear layer with weights from N(0, initStd^2) (LlamaGen's {@code _init_weights}). */
    public static Linear dense(int units, float initStd) {
        Linear linear = Linear.builder().setUnits(units).optBias(false).build();
        linear.setInitializer(new NormalInitializer(initStd), Parameter.Type.WEIGHT);
        return linear;
    }

    public int hidden() {
        return hidden;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray gate = Silu.apply(w1.forward(store, new NDList(x), training).singletonOrThrow());
        NDArray up = w3.forward(store, new NDList(x), training).singletonOrThrow();
        return w2.forward(store, new NDList(gate.mul(up)), training);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        w1.initialize(manager, dataType, in);
        w3.initialize(manager, dataType, in);
        w2.initialize(manager, dataType, w1.getOutputShapes(new Shape[] {in}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.get(in.dimension() - 1) != dim) {
            throw new IllegalArgumentException("SwiGluFeedForward expects last axis " + dim + ", got " + in);
        }
        return new Shape[] {in};
    }
}
