/**
 * The tokenizers' benchmark ({@code ./d2c bench tokenizers}): VQ and KL-VAE train-step time and
 * pretokenize throughput, with the workers' settings at a preset's sizes. It prints figures and asserts nothing.
 */
package lab.d2c.bench.tokenizer;
