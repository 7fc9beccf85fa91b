package lab.d2c.model.stage2.fusion;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.model.stage2.TransformerBlock;
import lab.d2c.model.train.StepRandom;

/**
 * The Q-Former fusion module (paper section 4.3, Figure 2b, Eq. 7; after BLIP-2): an encoder of
 * self-attention blocks over the discrete-token features, then a decoder whose L learnable queries
 * self-attend and cross-attend to the encoded features. Its L outputs replace L of the MAE's buffer
 * slots ({@link #intoBuffer}). The decoder-only variant (Table 3) skips the encoder: the queries read the
 * raw features. Used by {@link QFormerFusion} and {@link QFormerDecoderFusion}.
 */
public final class QFormer extends AbstractBlock {

    private final int queryCount;
    private final int width;
    private final Parameter queries;
    private final TransformerBlock[] encoder;
    private final TransformerBlock[] decoder;
    private final LayerNorm norm;

    /**
     * @param queryCount L
     * @param depth      blocks in the encoder (absent when {@code decoderOnly}) and in the decoder
     */
    public QFormer(int queryCount, int width, int heads, int depth, double mlpRatio, boolean decoderOnly,
            double attentionDrop, double projectionDrop) {
        this.queryCount = queryCount;
        this.width = width;
        this.queries = addParameter(Parameter.builder().setName("queries").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(queryCount, width)).optInitializer(new NormalInitializer(HybridConfig.INIT_STD))
                .build());
        this.encoder = new TransformerBlock[decoderOnly ? 0 : depth];
        for (int i = 0; i < encoder.length; i++) {
            encoder[i] = addChildBlock("encoder_" + i, new TransformerBlock("qformer/encoder/" + i, width, heads,
                    mlpRatio, false, attentionDrop, projectionDrop));
        }
        this.decoder = new TransformerBlock[depth];
        for (int i = 0; i < depth; i++) {
            decoder[i] = addChildBlock("decoder_" + i, new TransformerBlock("qformer/decoder/" + i, width, heads,
                    mlpRatio, true, attentionDrop, projectionDrop));
        }
        this.norm = addChildBlock("norm", TransformerBlock.layerNorm());
    }

    public int queryCount() {
        return queryCount;
    }

    /** The width of the features it reads and of its queries. */
    public int width() {
        return width;
    }

    public boolean decoderOnly() {
        return encoder.length == 0;
    }

    /**
     * @param features the discrete-token features [B, N, width]
     * @param rng      the step's draws while training, null otherwise
     * @return the query outputs [B, L, width]
     */
    public NDArray forward(ParameterStore store, NDArray features, StepRandom rng) {
        boolean training = rng != null;
        NDArray h = features;
        for (TransformerBlock block : encoder) {
            h = block.forward(store, h, null, rng);
        }
        long b = features.getShape().get(0);
        // zeros on the step's manager first: an array derived from a parameter would attach to the
        // parameter's manager and leak (docs/djl-pitfalls.md, pitfall 3)
        NDArray q = features.getManager().zeros(new Shape(b, queryCount, width), features.getDataType(),
                features.getDevice()).add(store.getValue(queries, features.getDevice(), training));
        for (TransformerBlock block : decoder) {
            q = block.forward(store, q, h, rng);
        }
        return norm.forward(store, new NDList(q), training).singletonOrThrow();
    }

    /**
     * The MAE's buffer rows with the query outputs in its last L slots and the class rows in the others
     * (section 4.3: the queries take L of the buffer's class-token slots).
     *
     * @param classSlots the class rows of every buffer slot [B, buffer, width]
     * @param queries    this module's outputs [B, L, width]
     */
    static NDArray intoBuffer(NDArray classSlots, NDArray queries) {
        long buffer = classSlots.getShape().get(1);
        long l = queries.getShape().get(1);
        return l == buffer ? queries
                : NDArrays.concat(new NDList(classSlots.get(":, :{}, :", buffer - l), queries), 1);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(forward(store, inputs.singletonOrThrow(), null));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape features = inputShapes[0];
        Shape q = new Shape(features.get(0), queryCount, width);
        for (TransformerBlock block : encoder) {
            block.initialize(manager, dataType, features);
        }
        for (TransformerBlock block : decoder) {
            block.initialize(manager, dataType, q, features);
        }
        norm.initialize(manager, dataType, q);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), queryCount, width)};
    }
}
