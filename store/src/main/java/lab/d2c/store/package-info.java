/** Artifact store (S3 via MinIO client) and JDBC repositories for runs, nodes and metrics. */
package lab.d2c.store;
