package lab.d2c.model.rdpm;

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
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import lab.d2c.config.rdpm.RdpmPredictorConfig;
import lab.d2c.model.diffusion.TimestepEmbedder;
import lab.d2c.model.nn.Dense;
import lab.d2c.model.nn.RmsNorm;
import lab.d2c.model.nn.TokenEmbedding;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.TrainableModel;

/**
 * RDPM's recurrent token predictor f (arXiv:2412.18390, section 3.2, Eq. 6-7): v'_t = f(eps_t, y, t, z'_{t-1}), the
 * logits over the K codes of C_t at every one of the h x w positions.
 *
 * <p>Input at step t, as section 3.2 says: "noise and quantized vectors are concatenated to form a variable of size
 * h x w x 2d, which is then projected back": eps_t and the accumulated quantized latent z'_{t-1} = v'_1 + ... +
 * v'_{t-1} (z'_0 = 0) are concatenated per position (2D channels) and projected by one linear layer to the
 * transformer's width (the paper's "projected back to h x w x d" followed by the transformer's own input map would be
 * two linear maps in a row, i.e. one). Learned absolute positions are added: the sequence is always the whole h x w
 * grid, so absolute positions see every position training and sampling use, as in MAR's and DiT's bidirectional
 * transformers (RoPE's relative offsets and length extrapolation buy nothing here). t (1..T) and y enter through
 * AdaLN-Zero (section 4.2): c = TimestepEmbedder(t) + Embed(y), read by every {@link AdaLnLlamaBlock} and the final
 * layer; row numClasses of the class table is the learned null class. Final layer: RMSNorm, modulation, and a
 * zero-initialized linear map to K logits, so the first loss is ln K.
 *
 * <p>Training (a {@link TrainableModel}): a batch is (code maps int [B, T, h, w], labels int [B]) and optionally the
 * tokenizer's noise [B, T, D, h, w]. Each sample draws its t uniformly from 1..T and its label drops to the null
 * class with probability classDropout (section 4.2: 10%), both from the step's {@link StepRandom}; z'_{t-1} is the
 * sum of the code vectors of its first t - 1 maps ({@link CodeLookup}), and eps_t is the tokenizer's noise of step t
 * when the batch carries it (section 3.2 feeds f "the accumulated noise from the diffusion process") or else a fresh
 * N(0, 1) draw from the step. The loss is Eq. 7, the cross-entropy of C_t averaged over the h x w positions (and the
 * batch). Metric {@code accuracy}: the fraction of positions whose argmax is C_t.
 */
public final class RecurrentTokenPredictor extends AbstractBlock implements TrainableModel {

    /** The held-out metric name of {@link #heldOutMetrics}: KL(conditional || unconditional), nats per position. */
    public static final String CONDITIONING_KL = "kl_cond_uncond";

    /** StepRandom purposes of the training draws. */
    public static final String STEP_PURPOSE = "rdpm/t";
    public static final String CLASS_DROPOUT_PURPOSE = "rdpm/class-dropout";
    public static final String NOISE_PURPOSE = "rdpm/eps";

    private final RdpmPredictorConfig config;
    private final CodeLookup lookup;
    private final Linear inputProjection;
    private final Parameter positions;
    private final TimestepEmbedder timesteps;
    private final TokenEmbedding classes;
    private final AdaLnLlamaBlock[] blocks;
    private final RmsNorm finalNorm;
    private final Linear finalModulation;
    private final Linear output;

    /**
     * @param lookup the code vectors of the tokenizer whose code maps the model learns (for z'_{t-1} while training)
     */
    public RecurrentTokenPredictor(RdpmPredictorConfig config, CodeLookup lookup) {
        this.config = config;
        this.lookup = lookup;
        int width = config.width();
        this.inputProjection = addChildBlock("input_proj", Dense.xavier(width));
        this.positions = addParameter(Parameter.builder().setName("pos_embed").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, config.tokens(), width))
                .optInitializer(new NormalInitializer(RdpmPredictorConfig.INIT_STD)).build());
        this.timesteps = addChildBlock("t_embedder", new TimestepEmbedder(width));
        this.classes = addChildBlock("y_embedder", new TokenEmbedding(config.numClasses() + 1, width,
                RdpmPredictorConfig.INIT_STD));
        this.blocks = new AdaLnLlamaBlock[config.depth()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = addChildBlock("blocks_" + i, new AdaLnLlamaBlock(config));
        }
        this.finalNorm = addChildBlock("norm_final", new RmsNorm(width, config.normEps()));
        this.finalModulation = addChildBlock("final_adaLN_modulation", Dense.zero(2 * width));
        this.output = addChildBlock("output", Dense.zero(config.vocabSize()));
    }

    public RdpmPredictorConfig config() {
        return config;
    }

    public CodeLookup lookup() {
        return lookup;
    }

    @Override
    public Block block() {
        return this;
    }

    /** eps [1, D, g, g], z' [1, D, g, g], t [1], labels [1]. */
    @Override
    public Shape[] initShapes() {
        Shape latent = new Shape(1, config.codeDim(), config.grid(), config.grid());
        return new Shape[] {latent, latent, new Shape(1), new Shape(1)};
    }

    /** Inputs: eps_t [B, D, h, w], z'_{t-1} [B, D, h, w], t int [B] (1..T), labels int [B]; output logits [B, L, K]. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(logits(store, inputs.get(0), inputs.get(1), inputs.get(2).toIntArray(), inputs.get(3),
                training));
    }

    /**
     * Eq. 6: the logits [B, h*w, K] of C_t (positions in raster order).
     *
     * @param noise       eps_t [B, D, h, w]
     * @param accumulated z'_{t-1} [B, D, h, w]
     * @param t           the steps, 1..T, one per row
     * @param labels      int [B], numClasses for the null class
     */
    public NDArray logits(ParameterStore store, NDArray noise, NDArray accumulated, int[] t, NDArray labels,
            boolean training) {
        long b = noise.getShape().get(0);
        int d = config.codeDim();
        int length = config.tokens();
        NDArray joined = NDArrays.concat(new NDList(noise, accumulated), 1).reshape(b, 2L * d, length)
                .transpose(0, 2, 1);
        NDArray h = inputProjection.forward(store, new NDList(joined), training).singletonOrThrow();
        h = h.add(store.getValue(positions, h.getDevice(), training));
        NDArray condition = condition(store, h.getManager(), t, labels, training);
        for (AdaLnLlamaBlock block : blocks) {
            h = block.forward(store, h, condition, training);
        }
        NDList mod = AdaLnLlamaBlock.modulations(store, finalModulation, condition, 2, training);
        NDArray normed = finalNorm.forward(store, new NDList(h), training).singletonOrThrow();
        return output.forward(store, new NDList(AdaLnLlamaBlock.modulate(normed, mod.get(0), mod.get(1))), training)
                .singletonOrThrow();
    }

    /** c = TimestepEmbedder(t) + Embed(y) [B, width] (DiT's conditioning). */
    private NDArray condition(ParameterStore store, NDManager manager, int[] t, NDArray labels, boolean training) {
        for (int step : t) {
            if (step < 1 || step > config.steps()) {
                throw new IllegalArgumentException("RecurrentTokenPredictor: step " + step + " outside 1.."
                        + config.steps());
            }
        }
        NDArray sinusoid = TimestepEmbedder.sinusoid(manager, t).toDevice(labels.getDevice(), false);
        NDArray time = timesteps.forward(store, new NDList(sinusoid), training).singletonOrThrow();
        NDArray label = classes.forward(store, new NDList(labels), training).singletonOrThrow();
        return time.add(label);
    }

    /** Labels with each replaced by the null class with probability classDropout (section 4.2), from the step. */
    public int[] dropLabels(int[] labels, StepRandom rng) {
        int[] out = labels.clone();
        if (config.classDropout() <= 0) {
            return out;
        }
        SplittableRandom r = rng.generator(CLASS_DROPOUT_PURPOSE);
        for (int i = 0; i < out.length; i++) {
            if (r.nextDouble() < config.classDropout()) {
                out[i] = config.nullClass();
            }
        }
        return out;
    }

    /** Each sample's training step t, uniform on 1..T, from the step. */
    public int[] drawSteps(int count, StepRandom rng) {
        SplittableRandom r = rng.generator(STEP_PURPOSE);
        int[] t = new int[count];
        for (int i = 0; i < count; i++) {
            t[i] = 1 + r.nextInt(config.steps());
        }
        return t;
    }

    /**
     * z'_{t-1} [B, D, h, w] of each sample: the sum of the code vectors of its maps 1..t-1 (zero at t = 1;
     * Algorithm 1, line 6).
     *
     * @param codes int code maps [B, T, h, w]
     */
    public NDArray accumulated(NDArray codes, int[] t) {
        Shape s = codes.getShape();
        long b = s.get(0);
        int steps = config.steps();
        NDArray vectors = lookup.vectors(codes.reshape(b * steps, s.get(2), s.get(3)))
                .reshape(b, steps, config.codeDim(), s.get(2), s.get(3));
        float[] before = new float[Math.toIntExact(b) * steps];
        for (int i = 0; i < b; i++) {
            for (int step = 1; step < t[i]; step++) {
                before[i * steps + step - 1] = 1;
            }
        }
        NDArray weights = codes.getManager().create(before, new Shape(b, steps, 1, 1, 1))
                .toType(vectors.getDataType(), false).toDevice(vectors.getDevice(), false);
        return vectors.mul(weights).sum(new int[] {1});
    }

    /** eps_t [B, D, h, w]: the tokenizer's noise at each sample's t where the batch carries it, else drawn. */
    private static NDArray noiseAtStep(NDManager step, NDList batch, int[] t, Shape shape, StepRandom rng) {
        NDArray codes = batch.get(0);
        return batch.size() > 2 ? atStep(batch.get(2), t)
                : rng.normal(step, shape, NOISE_PURPOSE).toDevice(codes.getDevice(), false);
    }

    /** Row i of {@code perStep} [B, T, ...] at step t_i: [B, ...]. */
    static NDArray atStep(NDArray perStep, int[] t) {
        long b = perStep.getShape().get(0);
        int steps = Math.toIntExact(perStep.getShape().get(1));
        float[] pick = new float[Math.toIntExact(b) * steps];
        for (int i = 0; i < b; i++) {
            pick[i * steps + t[i] - 1] = 1;
        }
        long[] flags = new long[perStep.getShape().dimension()];
        java.util.Arrays.fill(flags, 1);
        flags[0] = b;
        flags[1] = steps;
        NDArray weights = perStep.getManager().create(pick, new Shape(flags)).toType(perStep.getDataType(), false)
                .toDevice(perStep.getDevice(), false);
        return perStep.mul(weights).sum(new int[] {1});
    }

    @Override
    public StepLoss loss(NDManager step, NDList batch, StepRandom rng) {
        NDArray codes = batch.get(0);
        Shape s = codes.getShape();
        int b = Math.toIntExact(s.get(0));
        int steps = config.steps();
        int length = config.tokens();
        if (s.dimension() != 4 || s.get(1) != steps || s.get(2) * s.get(3) != length) {
            throw new IllegalArgumentException("RecurrentTokenPredictor: code maps must be [B, " + steps + ", "
                    + config.grid() + ", " + config.grid() + "], got " + s);
        }
        int[] t = drawSteps(b, rng);
        NDArray labels = step.create(dropLabels(batch.get(1).toIntArray(), rng)).toDevice(codes.getDevice(), false);
        int[] all = codes.toIntArray();
        long[] target = new long[b * length];
        for (int i = 0; i < b; i++) {
            for (int p = 0; p < length; p++) {
                target[i * length + p] = all[(i * steps + t[i] - 1) * length + p];
            }
        }
        NDArray accumulated = accumulated(codes, t);
        NDArray noise = noiseAtStep(step, batch, t, accumulated.getShape(), rng);
        NDArray logits = logits(new ParameterStore(step, false), noise, accumulated, t, labels, true);
        NDArray targets = step.create(target, new Shape(b, length, 1)).toDevice(codes.getDevice(), false);
        // Eq. 7: -1/(h w) sum_i log softmax(v'_t)_{i, C_t,i}, averaged over the batch
        NDArray loss = logits.logSoftmax(2).gather(targets, 2).neg().mean();
        NDArray correct = logits.stopGradient().argMax(2).eq(targets.squeeze(2)).toType(DataType.FLOAT32, false)
                .mean();
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", correct);
        return new StepLoss(loss, metrics);
    }

    /**
     * Held-out {@code kl_cond_uncond}: KL(p(C_t | y) || p(C_t | null class)) in nats per position, averaged over the
     * batch, at the loss's draws (t, eps_t) with the true labels and without dropout. Guidance (Algorithm 2) acts
     * only through this difference, and the loss barely registers it (a class is worth at most ln 10 nats per image,
     * spread over h w positions and T steps), so it shows the class conditioning being learned where the loss cannot.
     */
    @Override
    public Map<String, NDArray> heldOutMetrics(NDManager step, NDList batch, StepRandom rng) {
        NDArray codes = batch.get(0);
        int b = Math.toIntExact(codes.getShape().get(0));
        int[] t = drawSteps(b, rng);
        NDArray accumulated = accumulated(codes, t);
        NDArray noise = noiseAtStep(step, batch, t, accumulated.getShape(), rng);
        int[] unconditional = new int[b];
        java.util.Arrays.fill(unconditional, config.nullClass());
        ParameterStore store = new ParameterStore(step, false);
        NDArray cond = logits(store, noise, accumulated, t,
                step.create(batch.get(1).toIntArray()).toDevice(codes.getDevice(), false), false).logSoftmax(2);
        NDArray uncond = logits(store, noise, accumulated, t,
                step.create(unconditional).toDevice(codes.getDevice(), false), false).logSoftmax(2);
        return Map.of(CONDITIONING_KL, cond.exp().mul(cond.sub(uncond)).sum(new int[] {2}).mean());
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        int width = config.width();
        Shape hidden = new Shape(b, config.tokens(), width);
        Shape condition = new Shape(b, width);
        inputProjection.initialize(manager, dataType, new Shape(b, config.tokens(), 2L * config.codeDim()));
        timesteps.initialize(manager, dataType, new Shape(b, TimestepEmbedder.FREQUENCIES));
        classes.initialize(manager, dataType, new Shape(b));
        for (AdaLnLlamaBlock block : blocks) {
            block.initialize(manager, dataType, hidden, condition);
        }
        finalNorm.initialize(manager, dataType, hidden);
        finalModulation.initialize(manager, dataType, condition);
        output.initialize(manager, dataType, hidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), config.tokens(), config.vocabSize())};
    }
}
