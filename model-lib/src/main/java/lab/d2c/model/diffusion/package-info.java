/**
 * The per-token diffusion loss of stage two (paper section 3, Eq. 2; MAR's {@code diffloss.py}):
 * noise schedules ({@link lab.d2c.model.diffusion.NoiseSchedule}: MAR's linear and cosine), the respaced DDPM sampler ({@link lab.d2c.model.diffusion.RespacedSchedule}), the
 * small AdaLN MLP that predicts the noise and, as MAR's, the variance
 * ({@link lab.d2c.model.diffusion.DiffusionHead}), and the learned variance's range and
 * variational-bound term ({@link lab.d2c.model.diffusion.LearnedVariance}).
 * Knows nothing of images, transformers or tokenizers.
 */
package lab.d2c.model.diffusion;
