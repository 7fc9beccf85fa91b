package lab.d2c.model.classifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.List;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ShapesDataset;
import lab.d2c.model.eval.FeatureExtractor;
import lab.d2c.model.eval.FeatureSet;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainingLoop;
import lab.d2c.model.train.TrainingResult;
import org.junit.jupiter.api.Test;

/** The dataset classifier learns held-out classes, and its features come out with the right shapes. */
class ImageClassifierTest {

    private static final ClassifierConfig SMALL = new ClassifierConfig(16, 1, 4, 8, List.of(1, 2), 1, 16);

    @Test
    void learnsToClassifyHeldOutShapes() throws IOException {
        ImageBatches train = new ImageBatches(ShapesDataset.generate(256, 16, 1, 4, 1));
        ImageBatches test = new ImageBatches(ShapesDataset.generate(128, 16, 1, 4, 2));
        ImageClassifier model = new ImageClassifier(SMALL);
        TrainConfig config = TrainConfig.builder().setSteps(120).setBatchSize(32).setLr(3e-3).setSeed(4)
                .optWarmupSteps(10).optClipNorm(1.0).build();
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(train).setConfig(config).build()) {
            TrainingResult result = loop.run();
            float[] losses = result.losses();
            assertThat(mean(losses, 110, 120)).isLessThan(mean(losses, 0, 10) / 4);
            NDManager manager = loop.manager();
            FeatureSet set = FeatureSet.extract(new ClassifierFeatures(model, "shapes-cls"), manager, test.size(), 50,
                    (m, range) -> test.images(m, range[0], range[1]), null);
            assertThat(set.features().numCols).isEqualTo(16);
            assertThat(set.probabilities().numCols).isEqualTo(4);
            int correct = 0;
            for (int i = 0; i < test.size(); i++) {
                int best = 0;
                for (int c = 1; c < 4; c++) {
                    if (set.probabilities().get(i, c) > set.probabilities().get(i, best)) {
                        best = c;
                    }
                }
                correct += best == test.set().labels()[i] ? 1 : 0;
            }
            // chance is 0.25
            assertThat(correct / (double) test.size()).isGreaterThan(0.9);
        }
    }

    @Test
    void rejectsImagesOfAnotherSize() {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageClassifier model = new ImageClassifier(SMALL);
            model.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, model.initShapes());
            FeatureExtractor features = new ClassifierFeatures(model, "shapes-cls");
            NDArray ok = m.zeros(new Shape(2, 1, 16, 16));
            assertThat(features.extract(ok).features().getShape()).isEqualTo(new Shape(2, 16));
            assertThatThrownBy(() -> features.extract(m.zeros(new Shape(2, 1, 32, 32))))
                    .hasMessageContaining("[B, 1, 16, 16]");
        }
    }

    @Test
    void configErrorsNameTheField() {
        assertThatThrownBy(() -> new ClassifierConfig(16, 2, 4, 8, List.of(1), 1, 16)).hasMessageStartingWith("imageChannels");
        assertThatThrownBy(() -> new ClassifierConfig(18, 1, 4, 8, List.of(1, 2, 4), 1, 16))
                .hasMessageStartingWith("widthMultipliers");
    }

    private static double mean(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }
}
