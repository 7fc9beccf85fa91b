package lab.d2c.model.stage1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainingLoop;
import org.junit.jupiter.api.Test;

/**
 * Stage one's teacher-forced predictions (D2C section 4.2): the argmax of the causal forward given the
 * true prefix, item by item whatever the batch; they differ from the ground truth where stage one is
 * wrong and match it where stage one has learned the sequence; sampled ones are reproducible.
 */
class TeacherForcedPredictionsTest {

    private static final DiscreteArConfig CONFIG = ArFixtures.small();
    private static final int N = CONFIG.tokens();

    @Test
    void argmaxPredictionsAreThePerPositionArgmaxOfTheTeacherForcedLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiscreteArModel model = ArFixtures.randomized(CONFIG, m, 4);
            int[] ids = ArFixtures.randomIds(3 * N, CONFIG.vocabSize(), 8);
            int[] labels = {0, 1, 2};
            int[] predicted = new TeacherForcedPredictions(model, 0, 0).predict(m, ids, labels, 0);
            int differ = 0;
            for (int i = 0; i < 3; i++) {
                // item alone, logits straight from the model: the batch does not change an item's prediction
                int[] one = java.util.Arrays.copyOfRange(ids, i * N, (i + 1) * N);
                float[] logits = model.teacherForced(new ParameterStore(m, false), m.create(one, new Shape(1, N)),
                        m.create(new int[] {labels[i]}), null).toType(DataType.FLOAT32, false).toFloatArray();
                for (int p = 0; p < N; p++) {
                    float[] row = java.util.Arrays.copyOfRange(logits, p * CONFIG.vocabSize(), (p + 1) * CONFIG.vocabSize());
                    assertThat(predicted[i * N + p]).as("item %d position %d", i, p)
                            .isEqualTo(TeacherForcedPredictions.argmax(row));
                    differ += predicted[i * N + p] != ids[i * N + p] ? 1 : 0;
                }
            }
            assertThat(differ).as("an untrained stage one is mostly wrong").isGreaterThan(3 * N / 2);
        }
    }

    @Test
    void predictAllIsPredictBatchByBatchInItemOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiscreteArModel model = ArFixtures.randomized(CONFIG, m, 4);
            int[] ids = ArFixtures.randomIds(5 * N, CONFIG.vocabSize(), 8);
            int[] labels = {0, 1, 2, 3, 0};
            TeacherForcedPredictions predictions = new TeacherForcedPredictions(model, 1.0, 6);
            java.util.List<String> progress = new java.util.ArrayList<>();
            int[] all = predictions.predictAll(m, new TokenSequences(ids, labels, N), 2,
                    (done, total) -> progress.add(done + "/" + total));
            assertThat(progress).containsExactly("2/5", "4/5", "5/5");
            int[] expected = new int[5 * N];
            for (int first = 0; first < 5; first += 2) {
                int b = Math.min(2, 5 - first);
                int[] out = predictions.predict(m, java.util.Arrays.copyOfRange(ids, first * N, (first + b) * N),
                        java.util.Arrays.copyOfRange(labels, first, first + b), first);
                System.arraycopy(out, 0, expected, first * N, out.length);
            }
            assertThat(all).containsExactly(expected);
        }
    }

    @Test
    void aStageOneThatLearnedTheSequencesPredictsThemBack() throws Exception {
        TokenSequences four = new TokenSequences(ArFixtures.randomIds(4 * N, CONFIG.vocabSize(), 11),
                new int[] {0, 1, 2, 3}, N);
        int[] ids = new int[4 * N];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(four.sequence(i), 0, ids, i * N, N);
        }
        DiscreteArModel model = new DiscreteArModel(CONFIG);
        TrainConfig config = TrainConfig.builder().setSteps(150).setBatchSize(4).setLr(3e-3).setSeed(3)
                .optWarmupSteps(10).optClipNorm(1.0).build();
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(four).setConfig(config).build()) {
            loop.run();
            int[] predicted = new TeacherForcedPredictions(model, 0, 0).predict(loop.manager(), ids,
                    new int[] {0, 1, 2, 3}, 0);
            assertThat(predicted).containsExactly(ids);
        }
    }

    @Test
    void sampledPredictionsAreReproducibleAndFollowTheTemperature() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiscreteArModel model = ArFixtures.randomized(CONFIG, m, 4);
            int[] ids = ArFixtures.randomIds(4 * N, CONFIG.vocabSize(), 8);
            int[] labels = {0, 1, 2, 3};
            int[] argmax = new TeacherForcedPredictions(model, 0, 0).predict(m, ids, labels, 0);
            int[] a = new TeacherForcedPredictions(model, 1.0, 7).predict(m, ids, labels, 0);
            int[] b = new TeacherForcedPredictions(model, 1.0, 7).predict(m, ids, labels, 0);
            assertThat(a).containsExactly(b);
            assertThat(a).isNotEqualTo(argmax);
            // the last two items predicted in a batch of their own: same draws, since streams follow the item index
            int[] tail = new TeacherForcedPredictions(model, 1.0, 7).predict(m,
                    java.util.Arrays.copyOfRange(ids, 2 * N, 4 * N), new int[] {2, 3}, 2);
            assertThat(tail).containsExactly(java.util.Arrays.copyOfRange(a, 2 * N, 4 * N));
            assertThat(new TeacherForcedPredictions(model, 1e-4, 7).predict(m, ids, labels, 0))
                    .as("a temperature near 0 is the argmax").containsExactly(argmax);
            assertThatThrownBy(() -> new TeacherForcedPredictions(model, -1, 0)).hasMessageContaining("temperature");
        }
    }
}
