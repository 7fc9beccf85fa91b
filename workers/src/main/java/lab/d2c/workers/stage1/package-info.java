/**
 * Stage one's nodes: {@code train-stage1} (the discrete AR model on pretokenized VQ ids, with its
 * token embedding exported for stage two) and {@code decode-stage1} (sampled tokens decoded by the VQ
 * decoder: the discrete-only baseline). Thin glue between the stores and model-lib's {@code ar} package.
 */
package lab.d2c.workers.stage1;
