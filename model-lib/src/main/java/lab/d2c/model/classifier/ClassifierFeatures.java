package lab.d2c.model.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import lab.d2c.model.eval.FeatureExtractor;

/**
 * A trained {@link ImageClassifier} as the feature extractor of a dataset's metrics: the features
 * are its penultimate layer, the logits its output. Named {@code <dataset>-cls} (for example
 * {@code fmnist-cls}), so its FID reads {@code fid-fmnist-cls}, never Inception FID.
 */
public final class ClassifierFeatures implements FeatureExtractor {

    private final ImageClassifier classifier;
    private final String name;

    public ClassifierFeatures(ImageClassifier classifier, String name) {
        this.classifier = classifier;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int featureDim() {
        return classifier.config().featureDim();
    }

    @Override
    public Extracted extract(NDArray images) {
        long side = classifier.config().imageSize();
        if (images.getShape().dimension() != 4 || images.getShape().get(2) != side || images.getShape().get(3) != side
                || images.getShape().get(1) != classifier.config().imageChannels()) {
            throw new IllegalArgumentException("the classifier takes [B, " + classifier.config().imageChannels() + ", "
                    + side + ", " + side + "] images, got " + images.getShape());
        }
        NDList out = classifier.predict(images);
        return new Extracted(out.get(0), out.get(1));
    }
}
