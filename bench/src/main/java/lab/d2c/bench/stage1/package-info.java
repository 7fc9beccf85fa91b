/**
 * Stage one's benchmark ({@code ./d2c bench stage1}): train-step time, and sampling tokens/s with and
 * without the KV cache (median and range over alternating rounds), with the workers' settings at a preset's sizes.
 * It prints figures and asserts nothing.
 */
package lab.d2c.bench.stage1;
