/**
 * The dataset classifier whose penultimate features define FID, IS and precision/recall on
 * datasets without a standard Inception network (docs/design.md, "Evaluation"): {@link
 * lab.d2c.model.classifier.ImageClassifier} (trained by the shared loop) and {@link
 * lab.d2c.model.classifier.ClassifierFeatures} (its {@link lab.d2c.model.eval.FeatureExtractor}).
 */
package lab.d2c.model.classifier;
