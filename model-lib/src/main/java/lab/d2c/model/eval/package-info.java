/**
 * Sample-quality metrics (paper section 5: FID, IS, precision and recall) over features from a
 * pluggable {@link lab.d2c.model.eval.FeatureExtractor}: {@link lab.d2c.model.eval.GaussianStats},
 * {@link lab.d2c.model.eval.FrechetDistance}, {@link lab.d2c.model.eval.InceptionScore},
 * {@link lab.d2c.model.eval.PrecisionRecall}, the bootstrap of FID's sampling error
 * ({@link lab.d2c.model.eval.FidBootstrap}), and the TorchScript Inception extractor. All math
 * here is float64 on the JVM (EJML), never float32 libtorch.
 */
package lab.d2c.model.eval;
