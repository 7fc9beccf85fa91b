/**
 * Stage one of D2C (paper section 4.1): the Llama-style class-conditional discrete autoregressive
 * model over VQ token ids ({@link lab.d2c.model.stage1.DiscreteArModel}: {@link lab.d2c.model.stage1.LlamaBlock},
 * {@link lab.d2c.model.stage1.CausalSelfAttention}, {@link lab.d2c.model.stage1.RotaryEmbedding2d},
 * {@link lab.d2c.model.stage1.ClassEmbedding}), its training data ({@link lab.d2c.model.stage1.TokenSequences}) and
 * its sampler with a KV cache, temperature, top-k, top-p and classifier-free guidance
 * ({@link lab.d2c.model.stage1.ArSampler}, {@link lab.d2c.model.stage1.KvCache}, {@link lab.d2c.model.stage1.LogitsSampler}),
 * its teacher-forced predictions ({@link lab.d2c.model.stage1.TeacherForcedPredictions}) and the discrete-only
 * baseline's images, sampled ids through the VQ decoder ({@link lab.d2c.model.stage1.Stage1Generator}).
 */
package lab.d2c.model.stage1;
