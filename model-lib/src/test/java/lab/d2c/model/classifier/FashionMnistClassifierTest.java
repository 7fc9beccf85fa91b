package lab.d2c.model.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import lab.d2c.model.data.DataConfig;
import lab.d2c.model.data.Datasets;
import lab.d2c.model.data.FashionMnist;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.train.LrSchedule;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainingLoop;
import org.junit.jupiter.api.Test;

/**
 * The classifier whose features define fid-fmnist-cls: the tiny preset's network and training
 * settings at the platform's 32x32, trained on the whole Fashion-MNIST train split (about 2 epochs),
 * must classify >= 90% of the 10,000 test images. A weaker classifier would make the metric's
 * features too coarse to rank generators. About 4 minutes on 2 cores: the suite's longest test.
 */
class FashionMnistClassifierTest {

    /** The tiny preset's classifier.train.steps (with its lr 0.003, warmup 50, cosine schedule). */
    private static final int STEPS = 2000;

    @Test
    void reachesNinetyPercentOnTheTestSplit() throws IOException {
        lab.d2c.model.data.RequireDataset.orSkip();
        DataConfig data = new DataConfig("fashion-mnist", null, 32, 1, 10, 0, 0, 0, 1000);
        ImageBatches train = new ImageBatches(Datasets.load(data, FashionMnist.Split.TRAIN));
        ImageSet test = Datasets.load(data, FashionMnist.Split.TEST);
        assertThat(test.count()).isEqualTo(10_000);
        ImageClassifier model = new ImageClassifier(ClassifierConfig.tiny(10));
        TrainConfig config = TrainConfig.builder().setSteps(STEPS).setBatchSize(64).setLr(3e-3).setSeed(0)
                .optWarmupSteps(50).optLrSchedule(LrSchedule.COSINE).optClipNorm(1.0).build();
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(train).setConfig(config).build()) {
            loop.run();
            ImageBatches testBatches = new ImageBatches(test);
            int correct = 0;
            for (int from = 0; from < test.count(); from += 500) {
                try (NDManager batch = loop.manager().newSubManager()) {
                    NDArray images = testBatches.images(batch, from, from + 500);
                    int[] predicted = model.predict(images).get(1).argMax(1).toType(DataType.INT32, false)
                            .toIntArray();
                    for (int i = 0; i < predicted.length; i++) {
                        correct += predicted[i] == test.labels()[from + i] ? 1 : 0;
                    }
                }
            }
            double accuracy = correct / (double) test.count();
            System.out.printf("Fashion-MNIST classifier: test accuracy %.4f after %d steps%n", accuracy, STEPS);
            assertThat(accuracy).as("test accuracy after %d steps of 64", STEPS).isGreaterThanOrEqualTo(0.90);
        }
    }
}
