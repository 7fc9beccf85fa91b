/**
 * RDPM (Wu, Hu, Wei, "RDPM: Solve Diffusion Probabilistic Models via Recurrent Token Prediction",
 * arXiv:2412.18390), a generator family beside D2C. The tokenizer side (section 3.1):
 * {@link lab.d2c.model.rdpm.RdpmSchedule} (alpha_t, beta_t of the sin, linear and pow schedules, section
 * 4.3), {@link lab.d2c.model.rdpm.RecurrentQuantizer} (Eq. 2-4, Algorithm 1: T noisy residual
 * quantizations against one codebook, gamma-weighted losses, the optional bias conv of Table 2) and
 * {@link lab.d2c.model.rdpm.RdpmTokenizer} (encoder, layer norm, quantizer, decoder; a
 * {@link lab.d2c.model.train.TrainableModel} for the shared training loop; images to T code maps and back).
 * The generator side (section 3.2): the recurrent token predictor
 * ({@link lab.d2c.model.rdpm.RecurrentTokenPredictor}, Eq. 6-7, built from {@link lab.d2c.model.rdpm.AdaLnLlamaBlock}s)
 * and its sampler ({@link lab.d2c.model.rdpm.RdpmSampler}, Algorithm 2, classifier-free guidance, Eq. 8's
 * {@link lab.d2c.model.rdpm.GumbelArgmax}); {@link lab.d2c.model.rdpm.CodeLookup} turns code maps into the
 * quantized vectors the recursion accumulates. The data between them: {@link lab.d2c.model.rdpm.QuantizationNoise}
 * (each training item's eps_1..eps_T from a seed), {@link lab.d2c.model.rdpm.RdpmPretokenizer} (images in both flips
 * to their code maps with that noise) and {@link lab.d2c.model.rdpm.RdpmCodeMaps} (the predictor's batches: codes,
 * labels and the regenerated noise, section 3.2); {@link lab.d2c.model.rdpm.RdpmGenerator} is the whole generation
 * (sampler, then the tokenizer's decoder, uint8 pixels) that the {@code sample-rdpm} node runs. Configs are
 * model-config's {@code lab.d2c.config.rdpm} records.
 */
package lab.d2c.model.rdpm;
