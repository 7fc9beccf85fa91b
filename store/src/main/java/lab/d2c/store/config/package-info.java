/**
 * Local mode's secret files: {@link lab.d2c.store.config.SecretFile} (created once, kept 0600) and
 * {@link lab.d2c.store.config.LocalSecrets} (the data dir's passwords and keys). The platform's
 * settings are the API module's {@code D2cConfig}; store takes only its own
 * {@link lab.d2c.store.db.DatabaseSettings} and {@link lab.d2c.store.artifact.S3Settings}.
 */
package lab.d2c.store.config;
