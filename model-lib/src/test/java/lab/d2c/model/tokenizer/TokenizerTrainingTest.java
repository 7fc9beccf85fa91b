package lab.d2c.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ShapesDataset;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainableModel;
import lab.d2c.model.train.TrainingLoop;
import lab.d2c.model.train.TrainingResult;
import org.junit.jupiter.api.Test;

/** Both tokenizers through the shared training loop: deterministic for a seed, and they learn. */
class TokenizerTrainingTest {

    private static final ImageBatches DATA = new ImageBatches(ShapesDataset.generate(64, 16, 1, 4, 3));

    private static TrainConfig config(long seed) {
        return TrainConfig.builder().setSteps(60).setBatchSize(16).setLr(2e-3).setSeed(seed).optWarmupSteps(5)
                .optClipNorm(1.0).build();
    }

    private static float[] losses(TrainableModel model, long seed) throws IOException {
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(DATA).setConfig(config(seed)).build()) {
            TrainingResult r = loop.run();
            return r.losses();
        }
    }

    @Test
    void vqTrainsDeterministicallyAndItsLossFalls() throws IOException {
        float[] a = losses(new VqTokenizer(VqTokenizerTest.testConfig()), 5);
        float[] b = losses(new VqTokenizer(VqTokenizerTest.testConfig()), 5);
        assertThat(b).containsExactly(a);
        assertThat(mean(a, 50, 60)).isLessThan(mean(a, 0, 10) / 3);
    }

    @Test
    void vaeTrainsDeterministicallyAndItsLossFalls() throws IOException {
        float[] a = losses(new KlVae(KlVaeTest.testConfig()), 5);
        float[] b = losses(new KlVae(KlVaeTest.testConfig()), 5);
        assertThat(b).containsExactly(a);
        assertThat(mean(a, 50, 60)).isLessThan(mean(a, 0, 10) / 3);
    }

    private static double mean(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }
}
