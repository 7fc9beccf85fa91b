package lab.d2c.model.rdpm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.config.rdpm.RdpmTokenizerConfig;
import lab.d2c.model.runtime.Scratch;
import lab.d2c.model.nn.ConvDecoder;
import lab.d2c.model.nn.ConvEncoder;
import lab.d2c.model.nn.Convs;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.tokenizer.CodeUsage;
import lab.d2c.model.tokenizer.ReconstructionMetrics;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.TrainableModel;

/**
 * RDPM's diffusion-based image tokenizer (arXiv:2412.18390, section 3.1): a VQGAN-style autoencoder,
 * encoder -> 1x1 quant conv (z channels -> code dim d) -> layer norm over d (section 3.1: "layer
 * normalization at the end of the encoder", so that the noise can disrupt the latent) ->
 * {@link RecurrentQuantizer} (T steps, Eq. 2, Algorithm 1) -> 1x1 post-quant conv -> decoder. The
 * blocks are the VQ tokenizer's ({@link ConvEncoder}, {@link ConvDecoder}).
 *
 * <p>Training loss (Eq. 5 without its perceptual and adversarial terms, which need pretrained networks):
 * pixel MSE (Eq. 3, per-pixel mean as the other tokenizers) + the quantizer's gamma-weighted codebook and
 * commitment terms (Eq. 4). The noise eps_1..eps_T is drawn from the step's {@link StepRandom}, so a
 * resumed run draws what an uninterrupted one drew. Metrics: mse, psnr, codebook_loss, commitment_loss,
 * perplexity (of this batch's codes over all T steps).
 *
 * <p>The block's forward takes images [B, C, H, W] in [-1, 1] and the noise [B, T, d, h, w]
 * ({@link #noiseShape}) and returns (reconstruction, codes [B, T, h, w] int64, codebook loss, commitment
 * loss). {@link #encode} gives the T code maps, {@link #decode} the images of T code maps: decoding the
 * codes of images gives exactly the reconstruction of the forward pass with the same noise.
 */
public final class RdpmTokenizer extends AbstractBlock implements TrainableModel {

    /** StepRandom purpose of the quantization noise eps_t in {@link #loss}. */
    public static final String NOISE_PURPOSE = "rdpm-tokenizer-noise";

    /** torch.nn.LayerNorm's default eps. */
    private static final float NORM_EPS = 1e-5f;

    private final RdpmTokenizerConfig config;
    private final ConvEncoder encoder;
    private final Conv2d quantConv;
    private final LayerNorm latentNorm;
    private final RecurrentQuantizer quantizer;
    private final Conv2d postQuantConv;
    private final ConvDecoder decoder;

    public RdpmTokenizer(RdpmTokenizerConfig config) {
        this.config = config;
        this.encoder = addChildBlock("encoder", new ConvEncoder(config.imageChannels(), config.baseWidth(),
                config.widthMultipliers(), config.resBlocks(), config.zChannels()));
        this.quantConv = addChildBlock("quant_conv", Convs.pointwise(config.codeDim()));
        // over the last axis of the channels-last latent [B, h, w, d]: libtorch normalizes trailing axes
        this.latentNorm = addChildBlock("latent_norm", LayerNorm.builder().axis(3).optEpsilon(NORM_EPS).build());
        this.quantizer = addChildBlock("quantize", new RecurrentQuantizer(config.codebookSize(), config.codeDim(),
                RdpmSchedule.of(config.schedule(), config.steps(), config.phi()), config.gammaWeighting(),
                config.biasConv(), config.commitmentBeta()));
        this.postQuantConv = addChildBlock("post_quant_conv", Convs.pointwise(config.zChannels()));
        this.decoder = addChildBlock("decoder", new ConvDecoder(config.zChannels(), config.baseWidth(),
                config.widthMultipliers(), config.resBlocks(), config.imageChannels()));
    }

    public RdpmTokenizerConfig config() {
        return config;
    }

    public RecurrentQuantizer quantizer() {
        return quantizer;
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public Shape[] initShapes() {
        return new Shape[] {new Shape(1, config.imageChannels(), config.imageSize(), config.imageSize()),
            noiseShape(1)};
    }

    /** The noise eps_1..eps_T a batch of this many images needs: [B, T, d, h, w], standard normal. */
    public Shape noiseShape(long batch) {
        return new Shape(batch, config.steps(), config.codeDim(), config.tokenGrid(), config.tokenGrid());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        RecurrentQuantizer.Output q = quantize(store, inputs.get(0), inputs.get(1), training);
        NDArray reconstruction = decodeInput(store, q.decoderInput(), training);
        return new NDList(reconstruction, q.codes(), q.codebookLoss(), q.commitmentLoss());
    }

    /** The layer-normed latent z [B, d, h, w] of images: what the quantizer sees (Eq. 1 and section 3.1). */
    NDArray latent(ParameterStore store, NDArray images, boolean training) {
        NDArray h = apply(encoder, store, images, training);
        h = apply(quantConv, store, h, training);
        NDArray normed = apply(latentNorm, store, h.transpose(0, 2, 3, 1), training);
        return normed.transpose(0, 3, 1, 2);
    }

    private RecurrentQuantizer.Output quantize(ParameterStore store, NDArray images, NDArray noise, boolean training) {
        return quantizer.quantize(store, latent(store, images, training), noise, training);
    }

    private NDArray decodeInput(ParameterStore store, NDArray decoderInput, boolean training) {
        return apply(decoder, store, apply(postQuantConv, store, decoderInput, training), training);
    }

    private static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    public StepLoss loss(NDManager step, NDList batch, StepRandom rng) {
        NDArray images = batch.get(0).duplicate();
        images.attach(step);
        NDArray noise = rng.normal(step, noiseShape(images.getShape().get(0)), NOISE_PURPOSE)
                .toType(images.getDataType(), false);
        NDList out = forward(new ParameterStore(step, false), new NDList(images, noise), true);
        NDArray reconstruction = out.get(0);
        NDArray codebookLoss = out.get(2);
        NDArray commitmentLoss = out.get(3);
        NDArray mse = ReconstructionMetrics.mse(reconstruction, images);
        NDArray loss = mse.add(codebookLoss).add(commitmentLoss);

        Map<String, NDArray> metrics = new LinkedHashMap<>();
        NDArray detachedMse = mse.stopGradient();
        metrics.put("mse", detachedMse);
        metrics.put("psnr", ReconstructionMetrics.psnr(detachedMse));
        metrics.put("codebook_loss", codebookLoss.stopGradient());
        metrics.put("commitment_loss", commitmentLoss.stopGradient());
        double perplexity = CodeUsage.perplexity(CodeUsage.histogram(out.get(1).toLongArray(), config.codebookSize()));
        metrics.put("perplexity", StepArrays.scalar(detachedMse, perplexity));
        return new StepLoss(loss, metrics);
    }

    /**
     * The T code maps C_1..C_T (Algorithm 1) of images [B, C, H, W] in [-1, 1] quantized with the noise
     * eps [B, T, d, h, w]: int32 [B, T, h, w], attached to the images' manager. The predictor is trained
     * on these codes with the same noise (section 3.2), so the caller keeps or can redraw it.
     */
    public NDArray encode(NDArray images, NDArray noise) {
        NDManager owner = images.getManager();
        try (NDManager scratch = owner.newSubManager()) {
            NDArray x = images.duplicate();
            x.attach(scratch);
            NDArray eps = noise.duplicate();
            eps.attach(scratch);
            NDArray codes = quantize(new ParameterStore(scratch, false), x, eps, false).codes()
                    .toType(DataType.INT32, false);
            codes.attach(owner);
            return codes;
        }
    }

    /** Images [B, C, H, W] (about [-1, 1], not clipped) from T code maps [B, T, h, w]; on the codes' manager. */
    public NDArray decode(NDArray codes) {
        return Scratch.apply(codes, c -> {
            ParameterStore store = new ParameterStore(c.getManager(), false);
            return decodeInput(store, quantizer.decoderInput(store, c, false), false);
        });
    }

    /** The quantized vectors v'_1..v'_T [B, T, d, h, w] of T code maps (the predictor's inputs); on the codes' manager. */
    public NDArray quantizedVectors(NDArray codes) {
        return Scratch.apply(codes, c -> quantizer.quantizedVectors(new ParameterStore(c.getManager(), false), c, false));
    }

    /** The codebook [K, d] as a copy on {@code manager}. */
    public NDArray codebook(NDManager manager) {
        return quantizer.codebook(manager);
    }


    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        encoder.initialize(manager, dataType, shape);
        shape = encoder.getOutputShapes(new Shape[] {shape})[0];
        quantConv.initialize(manager, dataType, shape);
        Shape latent = quantConv.getOutputShapes(new Shape[] {shape})[0];
        Shape channelsLast = new Shape(latent.get(0), latent.get(2), latent.get(3), latent.get(1));
        latentNorm.initialize(manager, dataType, channelsLast);
        quantizer.initialize(manager, dataType, latent, inputShapes[1]);
        postQuantConv.initialize(manager, dataType, latent);
        decoder.initialize(manager, dataType, postQuantConv.getOutputShapes(new Shape[] {latent}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long grid = in.get(2) / config.stride();
        return new Shape[] {in, new Shape(in.get(0), config.steps(), grid, in.get(3) / config.stride()), new Shape(),
            new Shape()};
    }
}
