package lab.d2c.model.eval;

import ai.djl.ndarray.NDArray;

/**
 * What FID, IS and precision/recall are computed on: a network that maps images to features
 * (and, for IS, class logits). Implementations: the platform's own dataset classifier
 * ({@code lab.d2c.model.classifier.ClassifierFeatures}) and {@link TorchScriptInception}. The
 * {@link #name()} goes into every metric name ({@code fid-<name>}), so a classifier's FID is never
 * reported as Inception FID.
 */
public interface FeatureExtractor extends AutoCloseable {

    /** The extractor's name in metric names, e.g. {@code inception} or {@code fashion-mnist-cls}. */
    String name();

    /** The feature dimension. */
    int featureDim();

    /**
     * Features [B, featureDim] and logits [B, classes] of images [B, C, H, W] in [-1, 1] at the
     * dataset's resolution; the extractor resizes and converts as it needs. Results live on the
     * images' manager.
     */
    Extracted extract(NDArray images);

    /** Nothing by default. */
    @Override
    default void close() {
    }

    /** One batch's outputs. {@code logits} may be null when the network has no classifier. */
    record Extracted(NDArray features, NDArray logits) {
    }
}
