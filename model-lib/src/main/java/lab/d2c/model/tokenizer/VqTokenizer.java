package lab.d2c.model.tokenizer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.config.tokenizer.VqConfig;
import lab.d2c.model.runtime.Scratch;
import lab.d2c.model.nn.ConvDecoder;
import lab.d2c.model.nn.ConvEncoder;
import lab.d2c.model.nn.Convs;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.TrainableModel;

/**
 * The discrete image tokenizer (paper section 4.1 / 5.1), LlamaGen's {@code VQModel}: encoder ->
 * 1x1 quant conv (z channels -> code dim) -> {@link VectorQuantizer} -> 1x1 post-quant conv ->
 * decoder. Training loss = pixel MSE + codebook loss + beta * commitment loss. Metrics: mse, psnr,
 * codebook_loss, commitment_loss, perplexity (of this batch's codes), usage (fraction of codes in the
 * usage window). After each step {@link #afterStep} records the batch's codes in {@link CodeUsage}
 * and, every {@code reinitInterval} steps, re-initializes dead codes from this batch's encoder outputs.
 *
 * <p>The block's forward takes images [B, C, H, W] in [-1, 1] and returns
 * (reconstruction, ids, codebook loss, commitment loss, normalized encoder outputs).
 */
public final class VqTokenizer extends AbstractBlock implements TrainableModel {

    /** StepRandom purpose of the dead-code draws. */
    public static final String REINIT_PURPOSE = "vq-dead-code-reinit";

    private final VqConfig config;
    private final ConvEncoder encoder;
    private final Conv2d quantConv;
    private final VectorQuantizer quantizer;
    private final Conv2d postQuantConv;
    private final ConvDecoder decoder;
    private final CodeUsage usage;
    private long[] lastIds;
    private float[] lastEncoderOutputs;

    public VqTokenizer(VqConfig config) {
        this.config = config;
        this.encoder = addChildBlock("encoder", new ConvEncoder(config.imageChannels(), config.baseWidth(),
                config.widthMultipliers(), config.resBlocks(), config.zChannels()));
        this.quantConv = addChildBlock("quant_conv", Convs.pointwise(config.codeDim()));
        this.quantizer = addChildBlock("quantize", new VectorQuantizer(config.codebookSize(), config.codeDim(),
                config.commitmentBeta()));
        this.postQuantConv = addChildBlock("post_quant_conv", Convs.pointwise(config.zChannels()));
        this.decoder = addChildBlock("decoder", new ConvDecoder(config.zChannels(), config.baseWidth(),
                config.widthMultipliers(), config.resBlocks(), config.imageChannels()));
        this.usage = new CodeUsage(config.codebookSize(), config.usageWindow());
    }

    public VqConfig config() {
        return config;
    }

    public VectorQuantizer quantizer() {
        return quantizer;
    }

    public CodeUsage codeUsage() {
        return usage;
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public Shape[] initShapes() {
        return new Shape[] {new Shape(1, config.imageChannels(), config.imageSize(), config.imageSize())};
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        VectorQuantizer.Output q = quantize(store, inputs.get(0), training);
        NDArray reconstruction = decodeQuantized(store, q.quantized(), training);
        return new NDList(reconstruction, q.ids(), q.codebookLoss(), q.commitmentLoss(), q.normalizedInputs());
    }

    private VectorQuantizer.Output quantize(ParameterStore store, NDArray images, boolean training) {
        NDArray h = apply(encoder, store, images, training);
        h = apply(quantConv, store, h, training);
        return quantizer.quantize(store, h, training);
    }

    private NDArray decodeQuantized(ParameterStore store, NDArray codes, boolean training) {
        NDArray h = apply(postQuantConv, store, codes, training);
        return apply(decoder, store, h, training);
    }

    private static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public StepLoss loss(NDManager step, NDList batch, StepRandom rng) {
        NDArray images = batch.get(0).duplicate();
        images.attach(step);
        NDList out = forward(new ParameterStore(step, false), new NDList(images), true);
        NDArray reconstruction = out.get(0);
        NDArray ids = out.get(1);
        NDArray codebookLoss = out.get(2);
        NDArray commitmentLoss = out.get(3);
        NDArray mse = ReconstructionMetrics.mse(reconstruction, images);
        NDArray loss = mse.add(codebookLoss).add(commitmentLoss);

        lastIds = ids.toLongArray();
        lastEncoderOutputs = out.get(4).toType(DataType.FLOAT32, false).toFloatArray();
        double batchPerplexity = CodeUsage.perplexity(CodeUsage.histogram(lastIds, config.codebookSize()));

        Map<String, NDArray> metrics = new LinkedHashMap<>();
        NDArray detachedMse = mse.stopGradient();
        metrics.put("mse", detachedMse);
        metrics.put("psnr", ReconstructionMetrics.psnr(detachedMse));
        metrics.put("codebook_loss", codebookLoss.stopGradient());
        metrics.put("commitment_loss", commitmentLoss.stopGradient());
        metrics.put("perplexity", StepArrays.scalar(detachedMse, batchPerplexity));
        metrics.put("usage", StepArrays.scalar(detachedMse, usage.usage()));
        return new StepLoss(loss, metrics);
    }

    /**
     * Records the last batch's codes; every {@code reinitInterval} steps (counting from 1) replaces
     * the dead codes with encoder outputs of the last batch drawn by {@code rng}.
     */
    @Override
    public void afterStep(NDManager step, long stepIndex, StepRandom rng) {
        if (lastIds == null) {
            return;
        }
        usage.record(lastIds);
        if (config.reinitInterval() > 0 && (stepIndex + 1) % config.reinitInterval() == 0) {
            int[] dead = usage.deadCodes(config.deadCodeMinCount());
            quantizer.reinitialize(dead, lastEncoderOutputs, rng.generator(REINIT_PURPOSE));
        }
        lastIds = null;
        lastEncoderOutputs = null;
    }

    /** Code ids [B, h, w] (int32) of images [B, C, H, W] in [-1, 1]; attached to the images' manager. */
    public NDArray encodeIds(NDArray images) {
        return Scratch.apply(images, x -> {
            ParameterStore store = new ParameterStore(x.getManager(), false);
            return quantize(store, x, false).ids().toType(DataType.INT32, false);
        });
    }

    /** Images [B, C, H, W] (about [-1, 1], not clipped) from code ids [B, h, w]; on the ids' manager. */
    public NDArray decodeIds(NDArray ids) {
        return Scratch.apply(ids, i -> {
            ParameterStore store = new ParameterStore(i.getManager(), false);
            NDArray codes = quantizer.lookup(i).transpose(0, 3, 1, 2);
            return decodeQuantized(store, codes, false);
        });
    }

    /** The l2-normalized codebook [K, D] the model quantizes with, as a copy on {@code manager}. */
    public NDArray codebook(NDManager manager) {
        return quantizer.normalizedCodebook(manager);
    }


    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        encoder.initialize(manager, dataType, shape);
        shape = encoder.getOutputShapes(new Shape[] {shape})[0];
        quantConv.initialize(manager, dataType, shape);
        shape = quantConv.getOutputShapes(new Shape[] {shape})[0];
        quantizer.initialize(manager, dataType, shape);
        postQuantConv.initialize(manager, dataType, shape);
        decoder.initialize(manager, dataType, postQuantConv.getOutputShapes(new Shape[] {shape}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long grid = in.get(2) / config.stride();
        long n = in.get(0) * grid * (in.get(3) / config.stride());
        return new Shape[] {in, new Shape(in.get(0), grid, in.get(3) / config.stride()), new Shape(), new Shape(),
            new Shape(n, config.codeDim())};
    }

    @Override
    public void saveState(DataOutputStream out) throws IOException {
        usage.save(out);
    }

    @Override
    public void loadState(NDManager manager, DataInputStream in) throws IOException {
        usage.load(in);
    }
}
