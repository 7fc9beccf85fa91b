/**
 * Stage one of D2C (paper section 4.1): the Llama-style class-conditional discrete autoregressive
 * model over VQ token ids ({@link lab.d2c.model.ar.DiscreteArModel}: {@link lab.d2c.model.ar.LlamaBlock},
 * {@link lab.d2c.model.ar.CausalSelfAttention}, {@link lab.d2c.model.ar.RotaryEmbedding2d},
 * {@link lab.d2c.model.ar.ClassEmbedding}), its training data ({@link lab.d2c.model.ar.TokenSequences}) and
 * its sampler with a KV cache, temperature, top-k, top-p and classifier-free guidance
 * ({@link lab.d2c.model.ar.ArSampler}, {@link lab.d2c.model.ar.KvCache}, {@link lab.d2c.model.ar.LogitsSampler}).
 */
package lab.d2c.model.ar;
