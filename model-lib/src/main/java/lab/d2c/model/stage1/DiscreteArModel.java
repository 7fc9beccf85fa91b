package lab.d2c.model.stage1;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.nn.RmsNorm;
import lab.d2c.model.nn.SeededDropout;
import lab.d2c.model.nn.SwiGluFeedForward;
import lab.d2c.model.nn.TokenEmbedding;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.TrainableModel;

/**
 * The stage-one class-conditional discrete autoregressive model (paper section 4.1, Eq. 1-2;
 * LlamaGen's {@code Transformer}): the class prefix, then the image's VQ ids in raster order,
 * through {@link LlamaBlock}s with 2D RoPE and a causal mask, RMSNorm, and a bias-free output layer
 * (zero-initialized) giving next-token logits. Training minimizes the cross-entropy of every token
 * given the class and the tokens before it; the class becomes the null class with probability
 * classDropout for classifier-free guidance. Sampling is {@link ArSampler}'s.
 *
 * <p>The block's forward takes ids [B, N] (N = grid^2) and labels [B] and returns the
 * teacher-forced logits [B, N, vocab] without dropout: logits[:, i] predict token i.
 */
public final class DiscreteArModel extends AbstractBlock implements TrainableModel {

    private final DiscreteArConfig config;
    private final TokenEmbedding tokens;
    private final ClassEmbedding classes;
    private final LlamaBlock[] layers;
    private final RmsNorm norm;
    private final Linear output;
    private final RotaryEmbedding2d rope;

    public DiscreteArModel(DiscreteArConfig config) {
        this.config = config;
        this.tokens = addChildBlock("tok_embeddings", new TokenEmbedding(config.vocabSize(), config.width(),
                DiscreteArConfig.INIT_STD));
        this.classes = addChildBlock("cls_embedding", new ClassEmbedding(config));
        this.layers = new LlamaBlock[config.depth()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = addChildBlock("layers_" + i, new LlamaBlock(i, config));
        }
        this.norm = addChildBlock("norm", new RmsNorm(config.width(), config.normEps()));
        this.output = addChildBlock("output", SwiGluFeedForward.dense(config.vocabSize(), DiscreteArConfig.INIT_STD));
        output.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
        this.rope = new RotaryEmbedding2d(config.headDim(), config.grid(), config.classTokens(), config.ropeBase());
    }

    public DiscreteArConfig config() {
        return config;
    }

    /** The token embedding stage two initializes its discrete embedding from (section 5.1). */
    public TokenEmbedding tokenEmbedding() {
        return tokens;
    }

    public long parameterCount() {
        long n = 0;
        for (Pair<String, Parameter> p : getParameters()) {
            n += p.getValue().getArray().getShape().size();
        }
        return n;
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public Shape[] initShapes() {
        return new Shape[] {new Shape(1, config.tokens()), new Shape(1)};
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(teacherForced(store, inputs.get(0), inputs.get(1), null));
    }

    /** Logits [B, N, vocab] of every token given the class and the true tokens before it. */
    NDArray teacherForced(ParameterStore store, NDArray ids, NDArray labels, StepRandom rng) {
        int n = config.tokens();
        NDArray x = classPrefix(store, labels, rng != null);
        if (n > 1) {
            NDArray previous = embed(store, ids.get(":, :{}", n - 1), rng != null);
            x = NDArrays.concat(new NDList(x, previous), 1);
        }
        NDArray logits = run(store, x, 0, null, rng);
        return logits.get(":, {}:, :", config.classTokens() - 1);
    }

    /** The class prefix [B, classTokens, width] of labels [B]. */
    NDArray classPrefix(ParameterStore store, NDArray labels, boolean training) {
        return classes.embed(store, labels, training);
    }

    /** Token vectors [B, L, width] of ids [B, L]. */
    NDArray embed(ParameterStore store, NDArray ids, boolean training) {
        return tokens.forward(store, new NDList(ids), training).singletonOrThrow();
    }

    /**
     * Logits [B, L, vocab] of inputs x [B, L, width] at sequence positions start .. start + L - 1.
     *
     * @param cache keys and values of positions before start (appended to), or null
     * @param rng   the step's draws while training (dropout on), null otherwise
     */
    NDArray run(ParameterStore store, NDArray x, int start, KvCache cache, StepRandom rng) {
        int length = Math.toIntExact(x.getShape().get(1));
        boolean training = rng != null;
        NDArray h = training ? SeededDropout.apply(x, config.tokenDropout(), rng.seed("stage1/dropout/token")) : x;
        NDArray mask = length > 1 ? CausalSelfAttention.causalMask(x.getManager(), start, length, x.getDataType()) : null;
        RotaryEmbedding2d.Tables rotation = rope.tables(x.getManager(), start, length, x.getDataType());
        for (LlamaBlock layer : layers) {
            h = layer.forward(store, h, mask, rotation, cache, rng);
        }
        h = norm.forward(store, new NDList(h), training).singletonOrThrow();
        return output.forward(store, new NDList(h), training).singletonOrThrow();
    }

    @Override
    public StepLoss loss(NDManager step, NDList batch, StepRandom rng) {
        NDArray ids = batch.get(0);
        int[] dropped = classes.dropLabels(batch.get(1).toIntArray(), rng);
        NDArray labels = step.create(dropped);
        NDArray logits = teacherForced(new ParameterStore(step, false), ids, labels, rng);
        NDArray targets = ids.toType(DataType.INT64, false);
        NDArray logProbabilities = logits.logSoftmax(2);
        NDArray loss = logProbabilities.gather(targets.expandDims(2), 2).neg().mean();
        NDArray correct = logits.stopGradient().argMax(2).eq(targets).toType(DataType.FLOAT32, false).mean();
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", correct);
        metrics.put("perplexity", loss.stopGradient().exp());
        return new StepLoss(loss, metrics);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        tokens.initialize(manager, dataType, inputShapes[0]);
        classes.initialize(manager, dataType, inputShapes[1]);
        Shape hidden = new Shape(b, config.classTokens() + config.tokens() - 1, config.width());
        for (LlamaBlock layer : layers) {
            layer.initialize(manager, dataType, hidden);
        }
        norm.initialize(manager, dataType, hidden);
        output.initialize(manager, dataType, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.tokens(), config.vocabSize())};
    }
}
