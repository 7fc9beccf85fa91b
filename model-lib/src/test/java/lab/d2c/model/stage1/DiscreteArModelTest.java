package lab.d2c.model.stage1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import lab.d2c.config.stage1.DiscreteArConfig;
import org.junit.jupiter.api.Test;

/** The stage-one model's forward pass: shapes, causality, the class prefix, LlamaGen's sizes. */
class DiscreteArModelTest {

    private static float[] logits(DiscreteArModel model, NDManager m, int[] ids, int label) {
        int n = model.config().tokens();
        NDArray out = model.forward(new ParameterStore(m, false),
                new NDList(m.create(ids, new Shape(1, n)), m.create(new int[] {label})), false).singletonOrThrow();
        assertThat(out.getShape()).isEqualTo(new Shape(1, n, model.config().vocabSize()));
        return out.toFloatArray();
    }

    @Test
    void changingALaterTokenLeavesEarlierLogitsUnchanged() {
        DiscreteArConfig config = ArFixtures.small();
        int n = config.tokens();
        int v = config.vocabSize();
        try (NDManager m = NDManager.newBaseManager()) {
            DiscreteArModel model = ArFixtures.randomized(config, m, 7);
            int[] ids = ArFixtures.randomIds(n, v, 1);
            float[] before = logits(model, m, ids, 2);
            for (int j : new int[] {0, 5, n - 2}) {
                int[] changed = ids.clone();
                changed[j] = (changed[j] + 3) % v;
                float[] after = logits(model, m, changed, 2);
                // logits at position i predict token i from tokens < i: positions 0..j cannot see token j
                for (int i = 0; i <= j; i++) {
                    for (int t = 0; t < v; t++) {
                        assertThat(after[i * v + t]).as("position %d after changing token %d", i, j)
                                .isEqualTo(before[i * v + t]);
                    }
                }
                assertThat(maxDifference(before, after, (j + 1) * v, n * v)).as("positions after %d", j)
                        .isGreaterThan(1e-4);
            }
            // the last token is never an input: changing it changes nothing
            int[] last = ids.clone();
            last[n - 1] = (last[n - 1] + 1) % v;
            assertThat(logits(model, m, last, 2)).containsExactly(before);
        }
    }

    @Test
    void theClassPrefixConditionsEveryPosition() {
        DiscreteArConfig config = ArFixtures.small();
        try (NDManager m = NDManager.newBaseManager()) {
            DiscreteArModel model = ArFixtures.randomized(config, m, 8);
            int[] ids = ArFixtures.randomIds(config.tokens(), config.vocabSize(), 2);
            float[] a = logits(model, m, ids, 0);
            float[] b = logits(model, m, ids, 1);
            int v = config.vocabSize();
            for (int i = 0; i < config.tokens(); i++) {
                assertThat(maxDifference(a, b, i * v, (i + 1) * v)).as("position %d", i).isGreaterThan(1e-5);
            }
        }
    }

    @Test
    void outputLayerStartsAtZeroSoTheFirstLossIsLogVocab() {
        DiscreteArConfig config = ArFixtures.small();
        try (NDManager m = NDManager.newBaseManager()) {
            DiscreteArModel model = new DiscreteArModel(config);
            model.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, model.initShapes());
            float[] out = logits(model, m, ArFixtures.randomIds(config.tokens(), config.vocabSize(), 3), 1);
            for (float x : out) {
                assertThat(x).isZero();
            }
        }
    }

    @Test
    void llamaGenSizes() {
        DiscreteArConfig b = DiscreteArConfig.b(16384, 16, 1000);
        assertThat(b.width()).isEqualTo(768);
        assertThat(b.depth()).isEqualTo(12);
        assertThat(b.heads()).isEqualTo(12);
        // LlamaGen GPT-B's FFN width: find_multiple(int(2 * 4 * 768 / 3), 256)
        assertThat(lab.d2c.model.nn.SwiGluFeedForward.hiddenWidth(768, 256)).isEqualTo(2048);
        assertThat(lab.d2c.model.nn.SwiGluFeedForward.hiddenWidth(128, 32)).isEqualTo(352);
        try (NDManager m = NDManager.newBaseManager()) {
            DiscreteArModel model = new DiscreteArModel(b);
            model.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, model.initShapes());
            // LlamaGen reports GPT-B (16384 codes, 1000 classes) as 111M parameters
            assertThat(Math.round(model.parameterCount() / 1e6)).isEqualTo(111);
        }
        DiscreteArConfig small = ArFixtures.small();
        try (NDManager m = NDManager.newBaseManager()) {
            DiscreteArModel model = ArFixtures.randomized(small, m, 1);
            long perSmallBlock = 4L * 32 * 32 + 3L * 32 * lab.d2c.model.nn.SwiGluFeedForward.hiddenWidth(32, 8) + 2 * 32;
            assertThat(model.parameterCount()).isEqualTo(16L * 32 + 5L * 32 + 2 * perSmallBlock + 32 + 32L * 16);
        }
    }

    @Test
    void configNamesTheBadField() {
        assertThatThrownBy(() -> ArFixtures.small().withSizes(30, 2, 2))
                .hasMessageContaining("stage1.heads").hasMessageContaining("multiple of 4");
        assertThatThrownBy(() -> ArFixtures.small().withDropout(0, 1.0, 0, 0))
                .hasMessageContaining("stage1.resid_dropout");
    }

    private static double maxDifference(float[] a, float[] b, int from, int to) {
        double d = 0;
        for (int i = from; i < to; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}
