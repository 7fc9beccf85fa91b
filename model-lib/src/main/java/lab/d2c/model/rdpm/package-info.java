/**
 * RDPM (Wu, Hu, Wei, "RDPM: Solve Diffusion Probabilistic Models via Recurrent Token Prediction",
 * arXiv:2412.18390) in DJL. Section 3.2: the recurrent token predictor
 * ({@link lab.d2c.model.rdpm.RecurrentTokenPredictor}, Eq. 6-7, built from {@link lab.d2c.model.rdpm.AdaLnLlamaBlock}s)
 * and its sampler ({@link lab.d2c.model.rdpm.RdpmSampler}, Algorithm 2, classifier-free guidance, Eq. 8's
 * {@link lab.d2c.model.rdpm.GumbelArgmax}); {@link lab.d2c.model.rdpm.CodeLookup} turns code maps into the
 * quantized vectors the recursion accumulates. Config records in model-config's {@code lab.d2c.config.rdpm}.
 */
package lab.d2c.model.rdpm;
