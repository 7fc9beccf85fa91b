/** Connections to the three servers every entry point needs: PostgreSQL, S3 and Temporal. */
package lab.d2c.api.platform;
