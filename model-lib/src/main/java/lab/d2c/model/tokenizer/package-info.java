/**
 * The two image tokenizers of D2C (paper section 5.1): the discrete one, a LlamaGen-style VQ
 * autoencoder ({@link lab.d2c.model.tokenizer.VqTokenizer}: {@link lab.d2c.model.tokenizer.VectorQuantizer}
 * with an l2-normalized codebook, {@link lab.d2c.model.tokenizer.StraightThrough} gradients and
 * {@link lab.d2c.model.tokenizer.CodeUsage} tracking with dead-code re-initialization), and the
 * continuous one, an LDM-style KL autoencoder ({@link lab.d2c.model.tokenizer.KlVae} with a
 * {@link lab.d2c.model.tokenizer.DiagonalGaussian} posterior and a data-derived
 * {@link lab.d2c.model.tokenizer.LatentScale}). Both use the same stride so their token grids align
 * (paper section 4.2). Their configs are model-config's {@link lab.d2c.config.tokenizer.VqConfig} and
 * {@link lab.d2c.config.tokenizer.KlVaeConfig}, each with {@code tiny()} and {@code b()} presets.
 *
 * <p>Losses are pixel MSE plus the VQ or KL terms (the KL weighed against the per-image summed
 * error, as LDM does: {@link lab.d2c.config.tokenizer.KlLossReduction}); the perceptual (LPIPS) and adversarial losses of
 * the original recipes are not implemented and their config flags must stay false.
 */
package lab.d2c.model.tokenizer;
