package lab.d2c.model.stage1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.nn.SwiGluFeedForward;

/**
 * Multi-head causal self-attention with 2D RoPE on queries and keys and an optional KV cache
 * (LlamaGen's {@code Attention}: one bias-free {@code wqkv}, then {@code wo}). Softmax(q k^T / sqrt(hd)
 * + mask) v, where the mask lets position i see positions 0..i only.
 */
public final class CausalSelfAttention extends AbstractBlock {

    private final int width;
    private final int heads;
    private final int headDim;
    private final Linear wqkv;
    private final Linear wo;

    public CausalSelfAttention(int width, int heads, float initStd) {
        this.width = width;
        this.heads = heads;
        this.headDim = width / heads;
        this.wqkv = addChildBlock("wqkv", SwiGluFeedForward.dense(3 * width, initStd));
        this.wo = addChildBlock("wo", SwiGluFeedForward.dense(width, initStd));
    }

    /**
     * @param x     [B, L, width] at sequence positions start .. start + L - 1
     * @param rope  the rotation of those positions
     * @param mask  additive mask [L, start + L] (0 or -inf), or null when L is 1 (a new token sees all)
     * @param cache the layer's cache (keys and values of positions before start), or null without one
     * @return [B, L, width], before the residual dropout
     */
    NDArray attend(ParameterStore store, NDArray x, NDArray mask, RotaryEmbedding2d.Tables rope, KvCache cache,
            int layer, boolean training) {
        NDManager step = x.getManager();
        Shape shape = x.getShape();
        long b = shape.get(0);
        long length = shape.get(1);
        NDArray qkv = wqkv.forward(store, new NDList(x), training).singletonOrThrow();
        NDList parts = qkv.split(3, 2);
        NDArray q = RotaryEmbedding2d.apply(parts.get(0).reshape(b, length, heads, headDim), rope).transpose(0, 2, 1, 3);
        NDArray k = RotaryEmbedding2d.apply(parts.get(1).reshape(b, length, heads, headDim), rope).transpose(0, 2, 1, 3);
        NDArray v = parts.get(2).reshape(b, length, heads, headDim).transpose(0, 2, 1, 3);
        if (cache != null) {
            NDArray[] kv = cache.append(layer, k, v);
            k = kv[0];
            v = kv[1];
        }
        // Arrays derived from cached ones would attach to the cache's manager and pin old storage.
        NDArray keysT = onto(step, k.transpose(0, 1, 3, 2));
        NDArray scores = q.matMul(keysT).mul(StepArrays.scalar(q, 1.0 / Math.sqrt(headDim)));
        if (mask != null) {
            scores = scores.add(mask);
        }
        NDArray weights = scores.softmax(3);
        NDArray out = weights.matMul(v).transpose(0, 2, 1, 3).reshape(b, length, width);
        return wo.forward(store, new NDList(out), training).singletonOrThrow();
    }

    private static NDArray onto(NDManager manager, NDArray array) {
        array.attach(manager);
        return array;
    }

    /**
     * The additive causal mask [length, start + length]: query i (at position start + i) may see
     * keys 0 .. start + i.
     */
    public static NDArray causalMask(NDManager manager, int start, int length, DataType type) {
        int keys = start + length;
        float[] m = new float[length * keys];
        for (int i = 0; i < length; i++) {
            for (int j = start + i + 1; j < keys; j++) {
                m[i * keys + j] = Float.NEGATIVE_INFINITY;
            }
        }
        return manager.create(m, new Shape(length, keys)).toType(type, false);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        throw new UnsupportedOperationException("CausalSelfAttention runs through DiscreteArModel (it needs positions)");
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        wqkv.initialize(manager, dataType, in);
        wo.initialize(manager, dataType, in);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
