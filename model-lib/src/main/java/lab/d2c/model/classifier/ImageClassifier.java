package lab.d2c.model.classifier;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.model.nn.Dense;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.TrainableModel;

/**
 * A small image classifier: a {@link ConvPoolTrunk} (conv -> GroupNorm -> ReLU, max pooling per
 * level) -> flatten -> linear to {@code featureDim} -> ReLU (the features) -> linear to the class
 * logits. Cross-entropy loss; metric {@code accuracy}. The features (the penultimate layer, non-negative
 * like Inception's pool features) are what the FID of a dataset without Inception is computed on.
 *
 * <p>The forward pass returns (features [B, featureDim], logits [B, classes]).
 */
public final class ImageClassifier extends AbstractBlock implements TrainableModel {

    private final ClassifierConfig config;
    private final ConvPoolTrunk trunk;
    private final Linear features;
    private final Linear head;

    public ImageClassifier(ClassifierConfig config) {
        this.config = config;
        this.trunk = addChildBlock("trunk", new ConvPoolTrunk(config.baseWidth(), config.widthMultipliers(),
                config.convsPerLevel()));
        this.features = addChildBlock("features", Dense.xavier(config.featureDim()));
        this.head = addChildBlock("head", Dense.xavier(config.numClasses()));
    }

    public ClassifierConfig config() {
        return config;
    }

    @Override
    public AbstractBlock block() {
        return this;
    }

    @Override
    public Shape[] initShapes() {
        return new Shape[] {new Shape(1, config.imageChannels(), config.imageSize(), config.imageSize())};
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray map = trunk.forward(store, new NDList(inputs.get(0)), training).singletonOrThrow();
        NDArray flat = map.reshape(map.getShape().get(0), -1);
        NDArray feats = Activation.relu(features.forward(store, new NDList(flat), training).singletonOrThrow());
        NDArray logits = head.forward(store, new NDList(feats), training).singletonOrThrow();
        return new NDList(feats, logits);
    }

    @Override
    public StepLoss loss(NDManager step, NDList batch, StepRandom rng) {
        NDArray images = batch.get(0);
        NDArray labels = batch.get(1).toType(DataType.INT64, false);
        NDArray logits = forward(new ParameterStore(step, false), new NDList(images), true).get(1);
        NDArray loss = logits.logSoftmax(1).gather(labels.expandDims(1), 1).neg().mean();
        Map<String, NDArray> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", logits.stopGradient().argMax(1).eq(labels).toType(DataType.FLOAT32, false).mean());
        return new StepLoss(loss, metrics);
    }

    /** Features and logits of images [B, C, H, W] in [-1, 1], inference mode, on the images' manager. */
    public NDList predict(NDArray images) {
        NDManager owner = images.getManager();
        try (NDManager scratch = owner.newSubManager()) {
            NDArray copy = images.duplicate();
            copy.attach(scratch);
            NDList out = forward(new ParameterStore(scratch, false), new NDList(copy), false);
            out.attach(owner);
            return out;
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        trunk.initialize(manager, dataType, inputShapes[0]);
        long flat = (long) config.finalWidth() * config.finalSide() * config.finalSide();
        features.initialize(manager, dataType, new Shape(inputShapes[0].get(0), flat));
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), config.featureDim()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, config.featureDim()), new Shape(b, config.numClasses())};
    }
}
