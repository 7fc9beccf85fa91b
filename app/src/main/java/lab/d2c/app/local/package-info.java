/**
 * Local mode: the embedded stack (PostgreSQL from embedded binaries, an in-JVM S3 server,
 * Temporal's Java service on a port) started for whatever the configuration leaves empty.
 */
package lab.d2c.app.local;
