package lab.d2c.model.rdpm;

import static lab.d2c.model.rdpm.RdpmFixtures.GRID;
import static lab.d2c.model.rdpm.RdpmFixtures.K;
import static lab.d2c.model.rdpm.RdpmFixtures.STEPS;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Arrays;
import lab.d2c.config.rdpm.RdpmSamplingSettings;
import lab.d2c.model.train.BatchSource;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainingLoop;
import lab.d2c.model.train.TrainingResult;
import org.junit.jupiter.api.Test;

/** The predictor through the shared training loop: it memorizes a handful of code-map sequences and samples them back. */
class RdpmTrainingTest {

    private static final int L = GRID * GRID;
    private static final int MAPS = 3;
    /** Each sequence is COPIES items, so a batch of all of them sees each class at several drawn steps t. */
    private static final int COPIES = 4;
    /** Three sequences of T code maps, one per class. */
    private static final int[] CODES = RdpmFixtures.randomCodes(MAPS * STEPS * L, 21);

    /** (code maps [B, T, h, w], labels [B]) of the fixed sequences; item i is sequence i % MAPS. */
    private static final BatchSource DATA = new BatchSource() {
        @Override
        public int size() {
            return MAPS * COPIES;
        }

        @Override
        public NDList batch(NDManager manager, int[] indices) {
            int[] codes = new int[indices.length * STEPS * L];
            int[] labels = new int[indices.length];
            for (int i = 0; i < indices.length; i++) {
                System.arraycopy(CODES, indices[i] % MAPS * STEPS * L, codes, i * STEPS * L, STEPS * L);
                labels[i] = indices[i] % MAPS;
            }
            return new NDList(manager.create(codes, new Shape(indices.length, STEPS, GRID, GRID)),
                    manager.create(labels));
        }
    };

    @Test
    void aTinyPredictorMemorizesAHandfulOfCodeMapsAndSamplesThemBack() throws IOException {
        try (NDManager codebookManager = NDManager.newBaseManager()) {
            CodeLookup lookup = CodeLookup.codebook(RdpmFixtures.codebook(codebookManager, 4));
            RecurrentTokenPredictor model = new RecurrentTokenPredictor(RdpmFixtures.small(), lookup);
            TrainConfig config = TrainConfig.builder().setSteps(150).setBatchSize(MAPS * COPIES).setLr(1e-2).setSeed(3)
                    .optWarmupSteps(10).optClipNorm(1.0).build();
            try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(DATA).setConfig(config).build()) {
                TrainingResult r = loop.run();
                float[] losses = r.losses();
                // the zero-initialized output starts at ln(16) = 2.77 nats per position (Eq. 7)
                assertThat((double) losses[0]).isCloseTo(Math.log(K), org.assertj.core.data.Offset.offset(1e-4));
                float lastTen = 0;
                for (int i = losses.length - 10; i < losses.length; i++) {
                    lastTen += losses[i] / 10;
                }
                assertThat(lastTen).as("mean of the last ten losses, losses %s", Arrays.toString(Arrays.copyOfRange(losses, 0, losses.length)))
                        .isLessThan(losses[0] / 10);
                // given y, t and z'_{t-1}, C_t is determined: the argmax sampler recovers each class's T maps
                // (eps_t is fresh noise here, which the model learned to ignore). At 150 steps a few of the 192
                // codes can still be off, and which ones depends on the BLAS's rounding (0 on MKL's generic
                // kernels, 3 on its AVX-512 ones), so the bar is 95% against the 1/16 of chance.
                RdpmSampler.Samples s = new RdpmSampler(model, lookup).sample(loop.manager(), new int[] {0, 1, 2},
                        RdpmSamplingSettings.builder().build(), 7, 3);
                int[] sampled = s.codes();
                assertThat(sampled).hasSameSizeAs(CODES);
                int same = 0;
                for (int i = 0; i < CODES.length; i++) {
                    same += sampled[i] == CODES[i] ? 1 : 0;
                }
                assertThat((double) same / CODES.length).as("codes sampled back, %d of %d", same, CODES.length)
                        .isGreaterThanOrEqualTo(0.95);
            }
        }
    }
}
