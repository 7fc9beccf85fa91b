/**
 * Stage two's nodes: {@code train-stage2} (the hybrid MAE with its fusion module on the
 * pretokenized latents) and {@code sample} (stage-one tokens, stage-two generation, VAE decode).
 */
package lab.d2c.workers.stage2;
