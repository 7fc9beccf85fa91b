/**
 * Servers that run inside the JVM for local mode and integration tests: PostgreSQL (zonky binaries, a
 * persistent data directory) and an S3-compatible server (s3proxy over a local folder). Production points
 * the same clients at real servers instead.
 */
package lab.d2c.store.embedded;
