package lab.d2c.workers.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import lab.d2c.model.classifier.ClassifierConfig;
import lab.d2c.model.classifier.ImageClassifier;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.tokenizer.TokenizerSettings;
import lab.d2c.workers.training.TrainOnImagesExecutor;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.graph.TrainClassifierNode;

/**
 * {@code train-classifier}: trains the dataset classifier on the train split with the shared loop
 * (resume, checkpoints, metrics) and stores its accuracy on {@code classifier.train.eval_images}
 * test images, which the metrics named after it are shown with.
 */
public final class TrainClassifierExecutor extends TrainOnImagesExecutor<ImageClassifier> {

    @Override
    public String kind() {
        return TrainClassifierNode.KIND;
    }

    @Override
    protected String section() {
        return "classifier";
    }

    @Override
    protected ImageClassifier model(NodeContext ctx, DatasetManifest data) {
        return new ImageClassifier(TrainingSettings.build("classifier", () -> new ClassifierConfig(data.imageSize(),
                data.channels(), data.classNames().size(), TrainingSettings.integer(ctx, "classifier.base_width"),
                TokenizerSettings.widths(ctx, "classifier.width_multipliers"),
                TrainingSettings.integer(ctx, "classifier.convs_per_level"),
                TrainingSettings.integer(ctx, "classifier.feature_dim"))));
    }

    @Override
    protected Object modelConfig(ImageClassifier model) {
        return model.config();
    }

    @Override
    protected Map<String, Double> evaluate(ImageClassifier model, ImageBatches test, NDManager manager) {
        return Map.of("test_accuracy", accuracy(model, test, manager));
    }

    /** The share of test images whose most likely class is their label. */
    static double accuracy(ImageClassifier model, ImageBatches test, NDManager manager) {
        int correct = 0;
        for (int from = 0; from < test.size(); from += EVAL_BATCH) {
            int to = Math.min(test.size(), from + EVAL_BATCH);
            try (NDManager scope = manager.newSubManager()) {
                NDList out = model.predict(test.images(scope, from, to));
                NDArray predicted = out.get(1).argMax(1).toType(DataType.INT32, false);
                int[] p = predicted.toIntArray();
                for (int i = 0; i < p.length; i++) {
                    correct += p[i] == test.set().labels()[from + i] ? 1 : 0;
                }
            }
        }
        return correct / (double) test.size();
    }
}
