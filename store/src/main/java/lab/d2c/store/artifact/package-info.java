/**
 * Artifacts and checkpoints in S3 (through the MinIO client) and their catalog in PostgreSQL (size,
 * sha256, content type, the node that wrote them). Owns the rules for object keys.
 */
package lab.d2c.store.artifact;
