/** Connections to the three servers every entry point needs (PostgreSQL, S3, Temporal) and the platform's settings, {@link lab.d2c.api.platform.D2cConfig}: defaults, a YAML file and D2C_* variables. */
package lab.d2c.api.platform;
