/**
 * The scoring nodes (paper section 5; docs/design.md, "Evaluation"): {@code train-classifier} (the
 * dataset classifier whose features define {@code fid-<dataset>-cls}), {@code reference-stats}
 * (features and Gaussian fit of a dataset split, once per dataset, split and extractor) and
 * {@code evaluate} (FID, IS, precision and recall of a node's images into the evaluations table), and
 * {@link lab.d2c.workers.eval.GeneratedImages}, the images-to-evaluate contract every sampling node writes.
 */
package lab.d2c.workers.eval;
