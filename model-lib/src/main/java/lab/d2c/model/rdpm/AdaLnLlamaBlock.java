package lab.d2c.model.rdpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import lab.d2c.config.rdpm.RdpmPredictorConfig;
import lab.d2c.model.nn.Dense;
import lab.d2c.model.nn.RmsNorm;
import lab.d2c.model.nn.Silu;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.nn.SwiGluFeedForward;
import lab.d2c.model.stage2.Attention;

/**
 * One block of RDPM's predictor (arXiv:2412.18390, section 4.2: "we follow the LLama framework ... the time-step t
 * and category condition y are integrated using AdaLN-Zero"): LlamaGen's pre-norm block (RMSNorm, SwiGLU) with
 * DiT's adaLN-Zero modulation (Peebles and Xie, section 3.2), (shift, scale, gate) x 2 = Linear(SiLU(c)),
 * zero-initialized so the block starts as the identity:
 * h = x + gate1 * attn(modulate(rmsnorm(x))), out = h + gate2 * swiglu(modulate(rmsnorm(h))).
 * The attention is bidirectional over the h x w positions (every position of C_t is predicted at once, section
 * 3.2), which is stage two's {@link Attention} (stage one's is causal and rotary).
 */
public final class AdaLnLlamaBlock extends AbstractBlock {

    private final int width;
    private final RmsNorm attentionNorm;
    private final Attention attention;
    private final RmsNorm ffnNorm;
    private final SwiGluFeedForward feedForward;
    private final Linear modulation;

    public AdaLnLlamaBlock(RdpmPredictorConfig config) {
        this.width = config.width();
        this.attentionNorm = addChildBlock("attention_norm", new RmsNorm(width, config.normEps()));
        this.attention = addChildBlock("attention", new Attention(width, config.heads()));
        this.ffnNorm = addChildBlock("ffn_norm", new RmsNorm(width, config.normEps()));
        this.feedForward = addChildBlock("feed_forward", new SwiGluFeedForward(width, config.ffnMultipleOf(),
                RdpmPredictorConfig.INIT_STD));
        this.modulation = addChildBlock("adaLN_modulation", Dense.zero(6 * width));
    }

    /**
     * @param x         [B, L, width]
     * @param condition [B, width], the timestep's and the class's embeddings summed
     */
    public NDArray forward(ParameterStore store, NDArray x, NDArray condition, boolean training) {
        NDList mod = modulations(store, modulation, condition, 6, training);
        NDArray normed = attentionNorm.forward(store, new NDList(x), training).singletonOrThrow();
        NDArray attended = attention.forward(store, new NDList(modulate(normed, mod.get(0), mod.get(1))), training)
                .singletonOrThrow();
        NDArray h = x.add(mod.get(2).mul(attended));
        NDArray fedIn = modulate(ffnNorm.forward(store, new NDList(h), training).singletonOrThrow(), mod.get(3),
                mod.get(4));
        NDArray fed = feedForward.forward(store, new NDList(fedIn), training).singletonOrThrow();
        return h.add(mod.get(5).mul(fed));
    }

    /** Linear(SiLU(c)) [B, parts x width] as {@code parts} arrays [B, 1, width] that broadcast over the positions. */
    static NDList modulations(ParameterStore store, Linear modulation, NDArray condition, int parts,
            boolean training) {
        long b = condition.getShape().get(0);
        long w = condition.getShape().get(1);
        NDArray all = modulation.forward(store, new NDList(Silu.apply(condition)), training).singletonOrThrow();
        return all.reshape(b, 1, parts * w).split(parts, 2);
    }

    /** x * (1 + scale) + shift (DiT's {@code modulate}). */
    static NDArray modulate(NDArray x, NDArray shift, NDArray scale) {
        return x.mul(scale.add(StepArrays.scalar(scale, 1))).add(shift);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(store, inputs.get(0), inputs.get(1), training));
    }

    /** Input shapes: the tokens [B, L, width] and the condition [B, width]. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape rows = inputShapes[0];
        attentionNorm.initialize(manager, dataType, rows);
        attention.initialize(manager, dataType, rows);
        ffnNorm.initialize(manager, dataType, rows);
        feedForward.initialize(manager, dataType, rows);
        modulation.initialize(manager, dataType, inputShapes[1]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
