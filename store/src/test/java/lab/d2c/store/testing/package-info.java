/**
 * Test fixtures shared through store's test-jar: {@link lab.d2c.store.testing.TestStack}, one embedded
 * PostgreSQL and one embedded S3 server per JVM for every module's integration tests.
 */
package lab.d2c.store.testing;
