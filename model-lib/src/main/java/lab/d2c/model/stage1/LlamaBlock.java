package lab.d2c.model.stage1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.nn.RmsNorm;
import lab.d2c.model.nn.SeededDropout;
import lab.d2c.model.nn.SwiGluFeedForward;
import lab.d2c.model.train.StepRandom;

/**
 * One pre-norm Llama block (LlamaGen's {@code TransformerBlock}):
 * h = x + dropout(attention(rmsnorm(x))), out = h + dropout(swiglu(rmsnorm(h))).
 */
public final class LlamaBlock extends AbstractBlock {

    private final int index;
    private final DiscreteArConfig config;
    private final RmsNorm attentionNorm;
    private final CausalSelfAttention attention;
    private final RmsNorm ffnNorm;
    private final SwiGluFeedForward feedForward;

    public LlamaBlock(int index, DiscreteArConfig config) {
        this.index = index;
        this.config = config;
        this.attentionNorm = addChildBlock("attention_norm", new RmsNorm(config.width(), config.normEps()));
        this.attention = addChildBlock("attention", new CausalSelfAttention(config.width(), config.heads(),
                DiscreteArConfig.INIT_STD));
        this.ffnNorm = addChildBlock("ffn_norm", new RmsNorm(config.width(), config.normEps()));
        this.feedForward = addChildBlock("feed_forward", new SwiGluFeedForward(config.width(), config.ffnMultipleOf(),
                DiscreteArConfig.INIT_STD));
    }

    /**
     * @param mask  the additive causal mask ({@link CausalSelfAttention#causalMask}), null for one new token
     * @param cache the KV cache, or null
     * @param rng   the step's draws while training (dropout on), null when sampling or benchmarking
     */
    public NDArray forward(ParameterStore store, NDArray x, NDArray mask, RotaryEmbedding2d.Tables rope, KvCache cache,
            StepRandom rng) {
        boolean training = rng != null;
        NDArray normed = attentionNorm.forward(store, new NDList(x), training).singletonOrThrow();
        NDArray attended = attention.attend(store, normed, mask, rope, cache, index, training);
        if (training) {
            attended = SeededDropout.apply(attended, config.residDropout(), rng.seed("stage1/dropout/resid/" + index));
        }
        NDArray h = x.add(attended);
        NDArray fed = feedForward.forward(store, ffnNorm.forward(store, new NDList(h), training), training)
                .singletonOrThrow();
        if (training) {
            fed = SeededDropout.apply(fed, config.ffnDropout(), rng.seed("stage1/dropout/ffn/" + index));
        }
        return h.add(fed);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        throw new UnsupportedOperationException("LlamaBlock runs through DiscreteArModel (it needs positions)");
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        attentionNorm.initialize(manager, dataType, in);
        attention.initialize(manager, dataType, in);
        ffnNorm.initialize(manager, dataType, in);
        feedForward.initialize(manager, dataType, in);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
