/**
 * Stage two's benchmark ({@code ./d2c bench stage2}): seconds per image of D2C (stage one + stage two)
 * and of the MAR (paper section 5.2), beside RDPM's at T = 10 (arXiv:2412.18390, Algorithm 2) at the same widths,
 * and stage two's train-step time; the sampling arms are timed over rotated rounds and reported as medians with their
 * range. It prints figures and asserts nothing.
 */
package lab.d2c.bench.stage2;
