/** The {@code prepare-dataset} node: normalized image shards and their manifest in the artifact store. */
package lab.d2c.workers.dataset;
