package lab.d2c.model.stage2;

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
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.Map;
import java.util.SplittableRandom;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.model.diffusion.DiffusionHead;
import lab.d2c.model.diffusion.DiffusionLoss;
import lab.d2c.model.diffusion.NoiseSchedule;
import lab.d2c.model.diffusion.TimestepEmbedder;
import lab.d2c.model.nn.Dense;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.nn.TokenEmbedding;
import lab.d2c.model.stage2.fusion.Fusion;
import lab.d2c.model.stage2.fusion.Fusions;
import lab.d2c.model.stage2.fusion.QFormer;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.TrainableModel;

/**
 * The stage-two hybrid model (paper sections 4.2, 4.3, 5.1; MAR's {@code MAR} with a fusion
 * module): continuous tokens in a random order, the first ceil(r N) of the order masked; a buffer of
 * class tokens before the sequence; an MAE encoder over the buffer and the unmasked tokens; a decoder
 * over all positions with a learned mask token at the masked ones, giving the condition z per position;
 * the {@link DiffusionLoss} on the masked tokens. Discrete tokens enter by the configuration's
 * {@link Fusion} (section 4.3, one class per {@link FusionKind} in {@code stage2.fusion}): it adds its
 * blocks, computes the discrete tokens' part of the condition ({@link DiscreteContext}), and fills or adds
 * to the encoder's and decoder's inputs or feeds the blocks' cross-attention. For classifier-free guidance
 * a sample's class
 * becomes a learned fake class with {@code classDropout} and its discrete tokens learned fake tokens
 * with {@code discreteDropout}; one uniform draw decides both, so with equal probabilities a dropped
 * sample is fully unconditional, as the guidance's unconditional branch is (section 5.1).
 *
 * <p>Batches: continuous tokens [B, N, C] float, discrete ids [B, N], labels [B], and optionally the
 * posterior's standard deviations [B, N, C]: then the first array holds the means and the tokens are
 * drawn as mean + std * eps from the step's draws ({@link HybridTokens}).
 */
public final class HybridModel extends AbstractBlock implements TrainableModel {

    private final HybridConfig config;
    private final TokenEmbedding classEmbedding;
    private final Parameter fakeClass;
    private final Fusion fusion;
    private final Linear tokenProjection;
    private final LayerNorm tokenProjectionNorm;
    private final Parameter encoderPositions;
    private final TransformerBlock[] encoder;
    private final LayerNorm encoderNorm;
    private final Linear decoderEmbed;
    private final Parameter maskToken;
    private final Parameter decoderPositions;
    private final TransformerBlock[] decoder;
    private final LayerNorm decoderNorm;
    private final Parameter diffusionPositions;
    private final DiffusionLoss diffusion;

    public HybridModel(HybridConfig config) {
        this.config = config;
        int e = config.encoderWidth();
        int d = config.decoderWidth();
        int n = config.tokens();
        int all = config.bufferSize() + n;
        this.classEmbedding = addChildBlock("class_emb", new TokenEmbedding(config.numClasses(), e,
                HybridConfig.INIT_STD));
        this.fakeClass = addParameter(learned("fake_latent", new Shape(1, e)));
        // the fusion's blocks and parameters go here, on this block: their names and this order are what
        // checkpoints and seeded initialization have always seen
        this.fusion = Fusions.create(config, new Fusion.Registrar() {
            @Override
            public <B extends Block> B addChildBlock(String name, B block) {
                return HybridModel.this.addChildBlock(name, block);
            }

            @Override
            public Parameter addLearned(String name, Shape shape) {
                return HybridModel.this.addParameter(learned(name, shape));
            }
        });
        boolean cross = fusion.crossAttention();
        this.tokenProjection = addChildBlock("z_proj", Dense.xavier(e));
        this.tokenProjectionNorm = addChildBlock("z_proj_ln", TransformerBlock.layerNorm());
        this.encoderPositions = addParameter(learned("encoder_pos_embed", new Shape(all, e)));
        this.encoder = new TransformerBlock[config.encoderDepth()];
        for (int i = 0; i < encoder.length; i++) {
            encoder[i] = addChildBlock("encoder_" + i, new TransformerBlock("stage2/encoder/" + i, e,
                    config.encoderHeads(), config.mlpRatio(), cross, config.attentionDropout(),
                    config.projectionDropout()));
        }
        this.encoderNorm = addChildBlock("encoder_norm", TransformerBlock.layerNorm());
        this.decoderEmbed = addChildBlock("decoder_embed", Dense.xavier(d));
        this.maskToken = addParameter(learned("mask_token", new Shape(1, d)));
        this.decoderPositions = addParameter(learned("decoder_pos_embed", new Shape(all, d)));
        this.decoder = new TransformerBlock[config.decoderDepth()];
        for (int i = 0; i < decoder.length; i++) {
            decoder[i] = addChildBlock("decoder_" + i, new TransformerBlock("stage2/decoder/" + i, d,
                    config.decoderHeads(), config.mlpRatio(), cross, config.attentionDropout(),
                    config.projectionDropout()));
        }
        this.decoderNorm = addChildBlock("decoder_norm", TransformerBlock.layerNorm());
        this.diffusionPositions = addParameter(learned("diffusion_pos_embed", new Shape(n, d)));
        this.diffusion = addChildBlock("diffloss", new DiffusionLoss(new DiffusionHead(config.tokenChannels(),
                config.headWidth(), config.headDepth(), config.learnSigma()), NoiseSchedule.of(config.noiseSchedule(),
                NoiseSchedule.TRAINING_STEPS), config.samplingSteps()));
    }

    private static Parameter learned(String name, Shape shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(new NormalInitializer(HybridConfig.INIT_STD)).build();
    }

    public HybridConfig config() {
        return config;
    }

    public DiffusionLoss diffusion() {
        return diffusion;
    }

    /** How this model reads the discrete tokens (section 4.3). */
    public Fusion fusion() {
        return fusion;
    }

    /** The discrete embedding stage one's table is copied into and frozen (section 5.1); null for {@code none}. */
    public TokenEmbedding discreteEmbedding() {
        return fusion.discreteEmbedding();
    }

    /** The Q-Former of the Q-Former fusions; null for the others. */
    public QFormer qFormer() {
        return fusion.qFormer();
    }

    public long parameterCount() {
        long count = 0;
        for (Pair<String, Parameter> p : getParameters()) {
            count += p.getValue().getArray().getShape().size();
        }
        return count;
    }

    /**
     * The condition z [B, N, decoderWidth] of every position.
     *
     * @param tokens      continuous tokens [B, N, C] (values at masked positions are not read)
     * @param ids         discrete ids [B, N] (ignored by {@code none})
     * @param labels      classes [B]
     * @param fakeClass   per sample, whether its class is replaced by the fake class
     * @param fakeTokens  per sample, whether its discrete tokens are replaced by the fake tokens
     * @param masked      per sample, the masked positions (the same count in every sample)
     * @param rng         the step's draws while training (dropout on), null otherwise
     */
    NDArray condition(ParameterStore store, NDArray tokens, NDArray ids, int[] labels, boolean[] fakeClass,
            boolean[] fakeTokens, boolean[][] masked, StepRandom rng) {
        return condition(store, tokens, labels, fakeClass, masked,
                discreteContext(store, ids, fakeTokens, tokens, rng), rng);
    }

    /**
     * The discrete tokens' part of the condition ({@link DiscreteContext}), on the manager of {@code like}.
     *
     * @param ids        discrete ids [B, N] (not read by {@code none})
     * @param fakeTokens per sample, whether its discrete tokens are replaced by the fake tokens
     * @param like       an activation whose manager, device and float type the context takes
     * @param rng        the step's draws while training (dropout on), null otherwise
     */
    DiscreteContext discreteContext(ParameterStore store, NDArray ids, boolean[] fakeTokens, NDArray like,
            StepRandom rng) {
        return fusion.context(store, ids, fakeTokens, like, rng);
    }

    /** The condition z [B, N, decoderWidth] given the discrete tokens' part, computed once or per step. */
    NDArray condition(ParameterStore store, NDArray tokens, int[] labels, boolean[] fakeClass, boolean[][] masked,
            DiscreteContext discrete, StepRandom rng) {
        boolean training = rng != null;
        NDManager m = tokens.getManager();
        int b = labels.length;
        int n = config.tokens();
        int buffer = config.bufferSize();
        int e = config.encoderWidth();
        int[] safeLabels = new int[b];
        for (int i = 0; i < b; i++) {
            safeLabels[i] = fakeClass[i] ? 0 : labels[i];
        }
        NDArray classes = classEmbedding.forward(store, new NDList(m.create(safeLabels).toDevice(tokens.getDevice(),
                false)), training).singletonOrThrow();
        NDArray classRows = StepArrays.blend(classes, StepArrays.parameter(store, this.fakeClass, tokens, training),
                fakeClass, new Shape(b, 1));

        // encoder input: the buffer, then the projected tokens, as the fusion fills or adds to them
        NDArray x = tokenProjection.forward(store, new NDList(tokens), training).singletonOrThrow();
        x = fusion.encoderTokens(x, discrete);
        NDArray classSlots = m.zeros(new Shape(b, buffer, e), tokens.getDataType(), tokens.getDevice())
                .add(classRows.expandDims(1));
        NDArray bufferRows = fusion.buffer(classSlots, discrete);
        NDArray sequence = NDArrays.concat(new NDList(bufferRows, x), 1)
                .add(StepArrays.parameter(store, encoderPositions, tokens, training));
        sequence = tokenProjectionNorm.forward(store, new NDList(sequence), training).singletonOrThrow();

        VisibleRows visible = VisibleRows.of(m, masked, buffer, tokens.getDataType(), tokens.getDevice());
        NDArray h = visible.select().matMul(sequence);
        NDArray encoderContext = fusion.encoderContext(discrete);
        for (TransformerBlock block : encoder) {
            h = block.forward(store, h, encoderContext, rng);
        }
        h = encoderNorm.forward(store, new NDList(h), training).singletonOrThrow();

        // decoder: encoded rows back in place, the mask token elsewhere
        NDArray y = decoderEmbed.forward(store, new NDList(h), training).singletonOrThrow();
        NDArray full = visible.select().transpose(0, 2, 1).matMul(y)
                .add(visible.hidden().mul(StepArrays.parameter(store, maskToken, tokens, training)))
                .add(StepArrays.parameter(store, decoderPositions, tokens, training));
        full = fusion.decoderRows(full, discrete);
        NDArray decoderContext = fusion.decoderContext(discrete);
        for (TransformerBlock block : decoder) {
            full = block.forward(store, full, decoderContext, rng);
        }
        full = decoderNorm.forward(store, new NDList(full), training).singletonOrThrow();
        return full.get(":, {}:, :", buffer).add(StepArrays.parameter(store, diffusionPositions, tokens, training));
    }

    @Override
    public StepLoss loss(NDManager step, NDList batch, StepRandom rng) {
        return loss(step, batch, rng, false);
    }

    /**
     * The training loss (section 5.1, Eq. 2 on the masked tokens).
     *
     * @param allRows run the diffusion head on every row and weight the mean by the mask, MAR's literal form
     *                ({@code models/mar.py} {@code forward_loss}); else on the masked rows alone, with the draws
     *                of t and eps they get in that form ({@link DiffusionLoss#loss(ParameterStore, NDArray,
     *                NDArray, int[], int, StepRandom)}): the same loss and gradients up to rounding, the head on
     *                the masked share of the rows (70-100%, MAR's mask ratios). Tests compare the two.
     */
    StepLoss loss(NDManager step, NDList batch, StepRandom rng, boolean allRows) {
        NDArray tokens = batch.get(0);
        if (batch.size() > 3) {
            NDArray eps = rng.normal(step, tokens.getShape(), "stage2/posterior").toDevice(tokens.getDevice(), false);
            tokens = tokens.add(batch.get(3).mul(eps));
        }
        NDArray ids = batch.get(1);
        int[] labels = batch.get(2).toType(DataType.INT32, false).toIntArray();
        int b = labels.length;
        int n = config.tokens();
        int c = config.tokenChannels();
        double ratio = new MaskRatioSampler(config.maskRatioMin()).draw(rng.generator("stage2/mask-ratio"));
        int maskedCount = MaskRatioSampler.maskedCount(n, ratio);
        SplittableRandom orders = rng.generator("stage2/orders");
        SplittableRandom drops = rng.generator("stage2/cfg-dropout");
        boolean[][] masked = new boolean[b][];
        boolean[] fakeClass = new boolean[b];
        boolean[] fakeTokens = new boolean[b];
        float[] maskRows = new float[b * n];
        for (int i = 0; i < b; i++) {
            masked[i] = GenerationOrder.maskFirst(GenerationOrder.random(n, orders), maskedCount);
            double u = drops.nextDouble();
            fakeClass[i] = u < config.classDropout();
            fakeTokens[i] = u < config.discreteDropout();
            for (int p = 0; p < n; p++) {
                maskRows[i * n + p] = masked[i][p] ? 1 : 0;
            }
        }
        ParameterStore store = new ParameterStore(step, false);
        NDArray z = condition(store, tokens, ids, labels, fakeClass, fakeTokens, masked, rng);
        int mul = config.diffusionBatchMul();
        NDArray loss;
        if (allRows) {
            NDArray target = tile(tokens.reshape(b * n, c), mul);
            NDArray conditions = tile(z.reshape(b * n, config.decoderWidth()), mul);
            NDArray mask = tile(step.create(maskRows).toDevice(tokens.getDevice(), false), mul);
            loss = diffusion.loss(store, target, conditions, mask, rng);
        } else {
            // the rows of MAR's tiled [mul * B * N] batch that the mask keeps, in that batch's order, and
            // each one's row of the untiled [B * N] tokens and conditions
            int[] kept = new int[mul * b * maskedCount];
            long[] source = new long[kept.length];
            int k = 0;
            for (int copy = 0; copy < mul; copy++) {
                for (int i = 0; i < b; i++) {
                    for (int p = 0; p < n; p++) {
                        if (masked[i][p]) {
                            kept[k] = (copy * b + i) * n + p;
                            source[k] = (long) i * n + p;
                            k++;
                        }
                    }
                }
            }
            NDArray target = StepArrays.rows(tokens.reshape(b * n, c), source);
            NDArray conditions = StepArrays.rows(z.reshape(b * n, config.decoderWidth()), source);
            loss = diffusion.loss(store, target, conditions, kept, mul * b * n, rng);
        }
        return new StepLoss(loss, Map.of("mask_ratio", step.create((float) ratio)));
    }

    private static NDArray tile(NDArray x, int times) {
        if (times == 1) {
            return x;
        }
        NDList copies = new NDList();
        for (int i = 0; i < times; i++) {
            copies.add(x);
        }
        return NDArrays.concat(copies, 0);
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public Shape[] initShapes() {
        return new Shape[] {new Shape(1, config.tokens(), config.tokenChannels()), new Shape(1, config.tokens()),
            new Shape(1)};
    }

    /** Forward (for shapes and quick checks): z of every position with nothing masked, no fakes. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        int b = Math.toIntExact(inputs.get(0).getShape().get(0));
        boolean[][] masked = new boolean[b][config.tokens()];
        int[] labels = inputs.get(2).toType(DataType.INT32, false).toIntArray();
        return new NDList(condition(store, inputs.get(0), inputs.get(1), labels, new boolean[b], new boolean[b], masked,
                null));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        int n = config.tokens();
        int all = config.bufferSize() + n;
        int e = config.encoderWidth();
        int d = config.decoderWidth();
        Shape encoderRows = new Shape(b, all, e);
        Shape decoderRows = new Shape(b, all, d);
        Shape tokensE = new Shape(b, n, e);
        Shape tokensD = new Shape(b, n, d);
        classEmbedding.initialize(manager, dataType, inputShapes[2]);
        fusion.initialize(manager, dataType, inputShapes[1]);
        tokenProjection.initialize(manager, dataType, inputShapes[0]);
        tokenProjectionNorm.initialize(manager, dataType, encoderRows);
        for (TransformerBlock block : encoder) {
            block.initialize(manager, dataType, block.hasCrossAttention() ? new Shape[] {encoderRows, tokensE}
                    : new Shape[] {encoderRows});
        }
        encoderNorm.initialize(manager, dataType, encoderRows);
        decoderEmbed.initialize(manager, dataType, encoderRows);
        for (TransformerBlock block : decoder) {
            block.initialize(manager, dataType, block.hasCrossAttention() ? new Shape[] {decoderRows, tokensD}
                    : new Shape[] {decoderRows});
        }
        decoderNorm.initialize(manager, dataType, decoderRows);
        long rows = b * n;
        diffusion.initialize(manager, dataType, new Shape(rows, config.tokenChannels()),
                new Shape(rows, TimestepEmbedder.FREQUENCIES), new Shape(rows, d));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.tokens(), config.decoderWidth())};
    }
}
