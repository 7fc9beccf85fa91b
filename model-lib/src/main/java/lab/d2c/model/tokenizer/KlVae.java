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
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.config.tokenizer.KlLossReduction;
import lab.d2c.config.tokenizer.KlVaeConfig;
import lab.d2c.model.runtime.Scratch;
import lab.d2c.model.nn.ConvDecoder;
import lab.d2c.model.nn.ConvEncoder;
import lab.d2c.model.nn.Convs;
import lab.d2c.model.nn.StepArrays;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.TrainableModel;

/**
 * The continuous image tokenizer (paper sections 4.2 / 5.1), LDM's {@code AutoencoderKL}: encoder to
 * 2 x latent channels -> 1x1 quant conv -> {@link DiagonalGaussian} posterior -> sample -> 1x1
 * post-quant conv -> decoder. Training loss = pixel MSE + c * KL, the KL summed over latent elements
 * and averaged over the batch (LDM's {@code kl_loss}), c from {@link KlLossReduction#klCoefficient}:
 * klWeight / (C*H*W) by default, which is LDM's balance of per-image sums (see {@link KlLossReduction}).
 * Metrics: mse, psnr, kl (nats per image).
 *
 * <p>The block's forward takes images [B, C, H, W] and returns (reconstruction from the posterior
 * mean, mean, clamped logvar); training goes through {@link #loss}, which samples the posterior.
 */
public final class KlVae extends AbstractBlock implements TrainableModel {

    /** StepRandom purpose of the posterior noise in {@link #loss}. */
    public static final String POSTERIOR_PURPOSE = "kl-vae-posterior";

    private final KlVaeConfig config;
    private final ConvEncoder encoder;
    private final Conv2d quantConv;
    private final Conv2d postQuantConv;
    private final ConvDecoder decoder;

    public KlVae(KlVaeConfig config) {
        this.config = config;
        int latent = config.latentChannels();
        this.encoder = addChildBlock("encoder", new ConvEncoder(config.imageChannels(), config.baseWidth(),
                config.widthMultipliers(), config.resBlocks(), 2 * latent));
        this.quantConv = addChildBlock("quant_conv", Convs.pointwise(2 * latent));
        this.postQuantConv = addChildBlock("post_quant_conv", Convs.pointwise(latent));
        this.decoder = addChildBlock("decoder", new ConvDecoder(latent, config.baseWidth(),
                config.widthMultipliers(), config.resBlocks(), config.imageChannels()));
    }

    public KlVaeConfig config() {
        return config;
    }

    @Override
    public Block block() {
        return this;
    }

    @Override
    public Shape[] initShapes() {
        return new Shape[] {new Shape(1, config.imageChannels(), config.imageSize(), config.imageSize())};
    }

    /** The posterior of images (activations attach to the images' manager). */
    public DiagonalGaussian posterior(ParameterStore store, NDArray images, boolean training) {
        NDArray h = apply(encoder, store, images, training);
        return DiagonalGaussian.fromMoments(apply(quantConv, store, h, training));
    }

    /** Images from latents [B, latent, h, w]. */
    public NDArray decode(ParameterStore store, NDArray latents, boolean training) {
        return apply(decoder, store, apply(postQuantConv, store, latents, training), training);
    }

    private static NDArray apply(Block block, ParameterStore store, NDArray x, boolean training) {
        return block.forward(store, new NDList(x), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        DiagonalGaussian q = posterior(store, inputs.get(0), training);
        return new NDList(decode(store, q.mean(), training), q.mean(), q.logvar());
    }

    @Override
    public StepLoss loss(NDManager step, NDList batch, StepRandom rng) {
        NDArray images = batch.get(0).duplicate();
        images.attach(step);
        ParameterStore store = new ParameterStore(step, false);
        DiagonalGaussian q = posterior(store, images, true);
        NDArray reconstruction = decode(store, q.sample(rng, POSTERIOR_PURPOSE), true);
        return objective(config, reconstruction, images, q);
    }

    /**
     * The training loss of a reconstruction of images [B, C, H, W] decoded from a sample of q:
     * per-pixel MSE + c * (batch mean of the per-image KL), c from the config's {@link KlLossReduction}.
     */
    static StepLoss objective(KlVaeConfig config, NDArray reconstruction, NDArray images, DiagonalGaussian q) {
        NDArray mse = ReconstructionMetrics.mse(reconstruction, images);
        NDArray kl = q.kl().mean();
        // mse is the per-pixel mean; the reduction decides what klWeight is relative to.
        long pixelsPerImage = images.getShape().size() / images.getShape().get(0);
        double klCoefficient = config.lossReduction().klCoefficient(config.klWeight(), pixelsPerImage);
        NDArray loss = mse.add(kl.mul(StepArrays.scalar(kl, klCoefficient)));
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        NDArray detachedMse = mse.stopGradient();
        metrics.put("mse", detachedMse);
        metrics.put("psnr", ReconstructionMetrics.psnr(detachedMse));
        metrics.put("kl", kl.stopGradient());
        return new StepLoss(loss, metrics);
    }

    /** The posterior of images [B, C, H, W], attached to the images' manager (inference mode). */
    public DiagonalGaussian encode(NDArray images) {
        NDManager owner = images.getManager();
        try (NDManager scratch = owner.newSubManager()) {
            NDArray copy = images.duplicate();
            copy.attach(scratch);
            DiagonalGaussian q = posterior(new ParameterStore(scratch, false), copy, false);
            q.mean().attach(owner);
            q.logvar().attach(owner);
            return q;
        }
    }

    /** Posterior means [B, latent, h, w] of images (the deterministic latents). */
    public NDArray encodeMean(NDArray images) {
        return Scratch.apply(images,
                x -> posterior(new ParameterStore(x.getManager(), false), x, false).mean());
    }

    /** Images [B, C, H, W] (about [-1, 1], not clipped) from unscaled latents; on the latents' manager. */
    public NDArray decode(NDArray latents) {
        return Scratch.apply(latents, z -> decode(new ParameterStore(z.getManager(), false), z, false));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        encoder.initialize(manager, dataType, shape);
        shape = encoder.getOutputShapes(new Shape[] {shape})[0];
        quantConv.initialize(manager, dataType, shape);
        Shape latent = new Shape(shape.get(0), config.latentChannels(), shape.get(2), shape.get(3));
        postQuantConv.initialize(manager, dataType, latent);
        decoder.initialize(manager, dataType, postQuantConv.getOutputShapes(new Shape[] {latent}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        Shape latent = new Shape(in.get(0), config.latentChannels(), in.get(2) / config.stride(),
                in.get(3) / config.stride());
        return new Shape[] {in, latent, latent};
    }
}
