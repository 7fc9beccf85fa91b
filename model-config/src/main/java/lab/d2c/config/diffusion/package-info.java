/**
 * The diffusion head's config values that the spec checks need without DJL: the names of the noise
 * schedules ({@link lab.d2c.config.diffusion.NoiseScheduleKind}; MAR's linear and cosine).
 */
package lab.d2c.config.diffusion;
