/**
 * Checkpoints of training nodes in the artifact store: each is written under a key nothing
 * points to yet, read back and verified (size + sha256), and only then does the node's
 * {@code latest} pointer move. A retried attempt loads the newest checkpoint that verifies.
 */
package lab.d2c.workers.checkpoint;
