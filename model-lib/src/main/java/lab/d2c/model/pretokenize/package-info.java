/**
 * Pre-tokenization (paper section 5.1): images encoded once by both tokenizers, in both
 * horizontal flips, into {@link lab.d2c.model.pretokenize.TokenShard}s of discrete ids and
 * continuous posterior moments that the stage-one and stage-two trainers read instead of pixels.
 */
package lab.d2c.model.pretokenize;
