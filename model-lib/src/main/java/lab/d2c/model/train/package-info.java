/**
 * The one training loop every trainer reuses: AdamW with decoupled weight decay, global-norm
 * clipping, warmup-then-constant learning rate, EMA, data order from (seed, epoch), random
 * draws from (seed, step, purpose), and checkpoints that resume bit-identically.
 */
package lab.d2c.model.train;
