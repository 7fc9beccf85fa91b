package lab.d2c.model.stage2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import lab.d2c.model.nn.Dense;
import lab.d2c.model.nn.SeededDropout;
import lab.d2c.model.nn.StepArrays;

/**
 * Bidirectional multi-head attention with biases (timm's {@code Attention}, as MAR's blocks use
 * it): softmax(Q K^T / sqrt(d_head)) V, Q = W_q h, K = W_k c, V = W_v c, then an output projection.
 * With c = h it is self-attention; with c the discrete-token features it is the cross-attention of
 * Eq. 5-6.
 */
public final class Attention extends AbstractBlock {

    private final int width;
    private final int heads;
    private final Linear query;
    private final Linear keyValue;
    private final Linear projection;

    public Attention(int width, int heads) {
        this.width = width;
        this.heads = heads;
        this.query = addChildBlock("q", Dense.xavier(width));
        this.keyValue = addChildBlock("kv", Dense.xavier(2 * width));
        this.projection = addChildBlock("proj", Dense.xavier(width));
    }

    /**
     * @param h              queries' source [B, L, width]
     * @param context        keys' and values' source [B, M, width]
     * @param attentionDrop  dropout on the attention weights
     * @param dropSeed       seed of that dropout's mask (ignored when not training)
     */
    NDArray attend(ParameterStore store, NDArray h, NDArray context, boolean training, double attentionDrop,
            long dropSeed) {
        long b = h.getShape().get(0);
        long l = h.getShape().get(1);
        long m = context.getShape().get(1);
        int headDim = width / heads;
        NDArray q = query.forward(store, new NDList(h), training).singletonOrThrow()
                .reshape(b, l, heads, headDim).transpose(0, 2, 1, 3);
        NDList kv = keyValue.forward(store, new NDList(context), training).singletonOrThrow().split(2, 2);
        NDArray k = kv.get(0).reshape(b, m, heads, headDim).transpose(0, 2, 3, 1);
        NDArray v = kv.get(1).reshape(b, m, heads, headDim).transpose(0, 2, 1, 3);
        NDArray weights = q.matMul(k).mul(StepArrays.scalar(q, 1.0 / Math.sqrt(headDim))).softmax(3);
        if (training) {
            weights = SeededDropout.apply(weights, attentionDrop, dropSeed);
        }
        NDArray out = weights.matMul(v).transpose(0, 2, 1, 3).reshape(b, l, width);
        return projection.forward(store, new NDList(out), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray context = inputs.size() > 1 ? inputs.get(1) : inputs.get(0);
        return new NDList(attend(store, inputs.get(0), context, false, 0, 0));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape rows = inputShapes[0];
        query.initialize(manager, dataType, rows);
        keyValue.initialize(manager, dataType, inputShapes.length > 1 ? inputShapes[1] : rows);
        projection.initialize(manager, dataType, rows);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
