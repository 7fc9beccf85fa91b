/**
 * Building blocks: for the image tokenizers {@link lab.d2c.model.nn.GroupNorm},
 * {@link lab.d2c.model.nn.ResnetBlock}, {@link lab.d2c.model.nn.Downsample},
 * {@link lab.d2c.model.nn.Upsample}, and the {@link lab.d2c.model.nn.ConvEncoder} /
 * {@link lab.d2c.model.nn.ConvDecoder} pair (the LDM / LlamaGen autoencoder layout, without attention); and the transformer parts:
 * {@link lab.d2c.model.nn.RmsNorm}, {@link lab.d2c.model.nn.SwiGluFeedForward}, {@link lab.d2c.model.nn.TokenEmbedding}
 * (copied from stage one and frozen in stage two) and {@link lab.d2c.model.nn.SeededDropout} (masks from seeded
 * draws, so a resumed run drops the same units).
 *
 * <p>Rules every block here follows (docs/djl-pitfalls.md): scalar constants are NDArrays made by
 * {@link lab.d2c.model.nn.StepArrays#scalar} (pitfall 1), arrays derived from a parameter are moved to
 * the manager of the activations with {@link lab.d2c.model.nn.StepArrays#adopt} (pitfall 3), float32 or
 * float64 only (pitfall 2).
 */
package lab.d2c.model.nn;
