/**
 * The {@code pretokenize} node: training images encoded once by both trained tokenizers, in both
 * horizontal flips, into token shards with a {@link lab.d2c.workers.pretokenize.TokenManifest}.
 */
package lab.d2c.workers.pretokenize;
