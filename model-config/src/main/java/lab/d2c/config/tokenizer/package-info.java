/**
 * The two image tokenizers' config records (paper section 5.1): {@link lab.d2c.config.tokenizer.VqConfig},
 * LlamaGen's VQ autoencoder, and {@link lab.d2c.config.tokenizer.KlVaeConfig}, LDM's KL autoencoder with
 * its {@link lab.d2c.config.tokenizer.KlLossReduction} ({@code vae.loss_reduction}). Each checks its
 * rules naming the {@code vq.*} / {@code vae.*} key and reads itself from the config tree with the
 * image's size and channels from the data; {@link lab.d2c.config.tokenizer.WidthMultipliers} reads the
 * {@code width_multipliers} text both use. That the two strides match (paper section 4.2) is a rule
 * across records, checked by the spec checks. model-lib's {@code lab.d2c.model.tokenizer} builds the models.
 */
package lab.d2c.config.tokenizer;
