/**
 * Rounds of a sampling benchmark ({@code bench stage1}, {@code bench stage2}): the rotated order in which each round
 * times its arms, and the median and min-max spread of per-round figures and of per-round ratios (pure functions);
 * and the machine probe timed before each arm, which tells a slower machine from a slower arm.
 */
package lab.d2c.bench.rounds;
