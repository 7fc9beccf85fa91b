package lab.d2c.model.stage2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import lab.d2c.model.nn.Dense;
import lab.d2c.model.nn.SeededDropout;
import lab.d2c.model.train.StepRandom;

/**
 * A pre-norm transformer block (timm's ViT {@code Block}, MAR's encoder and decoder blocks):
 * h + Attn(LN(h)), optionally h + CrossAttn(LN(h), c) between self-attention and the MLP (the
 * cross-attention fusion module of section 4.3, Figure 2a, Eq. 4-6, which
 * {@link lab.d2c.model.stage2.fusion.CrossAttentionFusion} switches on and feeds), then h + MLP(LN(h))
 * with a GELU MLP. LayerNorm eps 1e-6. Also the Q-Former's blocks.
 */
public final class TransformerBlock extends AbstractBlock {

    private final String site;
    private final LayerNorm norm1;
    private final Attention attention;
    private final LayerNorm normCross;
    private final Attention crossAttention;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;
    private final double attentionDrop;
    private final double projectionDrop;

    /**
     * @param site  a name unique in the model, for the dropout seeds
     * @param cross whether the block has the cross-attention fusion module
     */
    public TransformerBlock(String site, int width, int heads, double mlpRatio, boolean cross, double attentionDrop,
            double projectionDrop) {
        this.site = site;
        this.attentionDrop = attentionDrop;
        this.projectionDrop = projectionDrop;
        this.norm1 = addChildBlock("norm1", layerNorm());
        this.attention = addChildBlock("attn", new Attention(width, heads));
        this.normCross = cross ? addChildBlock("norm_cross", layerNorm()) : null;
        this.crossAttention = cross ? addChildBlock("cross_attn", new Attention(width, heads)) : null;
        this.norm2 = addChildBlock("norm2", layerNorm());
        this.fc1 = addChildBlock("mlp_fc1", Dense.xavier((int) Math.round(width * mlpRatio)));
        this.fc2 = addChildBlock("mlp_fc2", Dense.xavier(width));
    }

    /** LayerNorm over the last axis of [B, L, width], eps 1e-6 (timm's ViT). */
    public static LayerNorm layerNorm() {
        return LayerNorm.builder().axis(2).optEpsilon(1e-6f).build();
    }

    public boolean hasCrossAttention() {
        return crossAttention != null;
    }

    /**
     * @param h       [B, L, width]
     * @param context the discrete features [B, M, width] for the cross-attention, or null without one
     * @param rng     the step's draws while training, null otherwise
     */
    public NDArray forward(ParameterStore store, NDArray h, NDArray context, StepRandom rng) {
        boolean training = rng != null;
        NDArray normed = norm(store, norm1, h, training);
        NDArray a = attention.attend(store, normed, normed, training, attentionDrop,
                training ? rng.seed(site + "/attn") : 0);
        h = h.add(drop(a, rng, "/attn-proj"));
        if (crossAttention != null) {
            NDArray c = crossAttention.attend(store, norm(store, normCross, h, training), context, training,
                    attentionDrop, training ? rng.seed(site + "/cross") : 0);
            h = h.add(drop(c, rng, "/cross-proj"));
        }
        NDArray m = fc1.forward(store, new NDList(norm(store, norm2, h, training)), training).singletonOrThrow();
        m = fc2.forward(store, new NDList(Activation.gelu(m)), training).singletonOrThrow();
        return h.add(drop(m, rng, "/mlp"));
    }

    private NDArray drop(NDArray x, StepRandom rng, String what) {
        return rng == null ? x : SeededDropout.apply(x, projectionDrop, rng.seed(site + what));
    }

    private static NDArray norm(ParameterStore store, LayerNorm norm, NDArray x, boolean training) {
        return norm.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(store, inputs.get(0), inputs.size() > 1 ? inputs.get(1) : null, null));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape rows = inputShapes[0];
        norm1.initialize(manager, dataType, rows);
        attention.initialize(manager, dataType, rows);
        if (crossAttention != null) {
            normCross.initialize(manager, dataType, rows);
            crossAttention.initialize(manager, dataType, rows, inputShapes[1]);
        }
        norm2.initialize(manager, dataType, rows);
        fc1.initialize(manager, dataType, rows);
        fc2.initialize(manager, dataType, fc1.getOutputShapes(new Shape[] {rows})[0]);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
