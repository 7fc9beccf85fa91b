package lab.d2c.model.hybrid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Stage two's wiring: where the discrete tokens reach z, and the Q-Former's L. */
class HybridModelTest {

    private static final int B = 2;
    private static final int N = HybridFixtures.GRID * HybridFixtures.GRID;

    private static NDArray z(NDManager m, HybridModel model, NDArray tokens, int[] ids, boolean fakeTokens) {
        boolean[][] masked = new boolean[B][];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < B; i++) {
            masked[i] = GenerationOrder.maskFirst(GenerationOrder.random(N, r), 10);
        }
        boolean[] fake = {fakeTokens, fakeTokens};
        return model.condition(new ParameterStore(m, false), tokens, m.create(ids, new Shape(B, N)), new int[] {0, 2},
                new boolean[B], fake, masked, null);
    }

    private static HybridModel initialized(NDManager m, HybridConfig config) {
        HybridModel model = new HybridModel(config);
        model.initialize(m, DataType.FLOAT32, model.initShapes());
        return model;
    }

    @ParameterizedTest
    @EnumSource(FusionKind.class)
    void aDiscreteContextComputedOnceServesEveryStepExactly(FusionKind fusion) {
        try (NDManager m = NDManager.newBaseManager()) {
            HybridModel model = initialized(m, HybridFixtures.small(fusion, 4));
            int[] ids = new SplittableRandom(2).ints(B * N, 0, HybridFixtures.VOCAB).toArray();
            boolean[] fake = {false, true};
            ParameterStore store = new ParameterStore(m, false);
            DiscreteContext once = model.discreteContext(store, m.create(ids, new Shape(B, N)), fake,
                    m.zeros(new Shape(1)), null);
            SplittableRandom r = new SplittableRandom(9);
            for (int step = 0; step < 3; step++) {
                // as the sampler: a scope per step that closes, the run's context read through views
                try (NDManager scope = m.newSubManager()) {
                    NDArray tokens = scope.randomNormal(new Shape(B, N, HybridFixtures.CHANNELS));
                    boolean[][] masked = new boolean[B][];
                    for (int i = 0; i < B; i++) {
                        masked[i] = GenerationOrder.maskFirst(GenerationOrder.random(N, r), N - 4 * step);
                    }
                    float[] perStep = model.condition(store, tokens, scope.create(ids, new Shape(B, N)),
                            new int[] {0, 2}, new boolean[B], fake, masked, null).toFloatArray();
                    float[] cached = model.condition(store, tokens, new int[] {0, 2}, new boolean[B], masked,
                            once.viewsOn(scope), null).toFloatArray();
                    assertThat(cached).as(fusion.key() + " step " + step).containsExactly(perStep);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FusionKind.class)
    void everyFusionKindReadsTheDiscreteTokensAndNoneDoesNot(FusionKind fusion) {
        try (NDManager m = NDManager.newBaseManager()) {
            HybridModel model = initialized(m, HybridFixtures.small(fusion, 4));
            NDArray tokens = m.randomNormal(new Shape(B, N, HybridFixtures.CHANNELS));
            int[] ids = new SplittableRandom(1).ints(B * N, 0, HybridFixtures.VOCAB).toArray();
            int[] other = ids.clone();
            for (int i = 0; i < other.length; i += 3) {
                other[i] = (other[i] + 5) % HybridFixtures.VOCAB;
            }
            float[] base = z(m, model, tokens, ids, false).toFloatArray();
            float[] changed = z(m, model, tokens, other, false).toFloatArray();
            assertThat(base.length).isEqualTo(B * N * 32);
            if (fusion.usesDiscreteTokens()) {
                assertThat(changed).as(fusion.key()).isNotEqualTo(base);
                // the fake discrete tokens replace the real ones: then the ids no longer matter
                assertThat(z(m, model, tokens, other, true).toFloatArray())
                        .containsExactly(z(m, model, tokens, ids, true).toFloatArray());
            } else {
                assertThat(changed).containsExactly(base);
            }
        }
    }

    @Test
    void theQFormerHonoursItsQueryCount() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (int l : new int[] {1, 4, 8}) {
                HybridModel model = initialized(m, HybridFixtures.small(FusionKind.Q_FORMER, l));
                assertThat(model.qFormer().queryCount()).isEqualTo(l);
                NDArray out = model.qFormer().forward(new ParameterStore(m, false),
                        m.randomNormal(new Shape(B, N, 32)), null);
                assertThat(out.getShape()).isEqualTo(new Shape(B, l, 32));
                assertThat(model.qFormer().getParameters().get("queries").getArray().getShape())
                        .isEqualTo(new Shape(l, 32));
            }
            HybridModel decoderOnly = initialized(m, HybridFixtures.small(FusionKind.Q_FORMER_DECODER, 4));
            assertThat(decoderOnly.qFormer().decoderOnly()).isTrue();
            assertThat(initialized(m, HybridFixtures.small(FusionKind.Q_FORMER, 4)).parameterCount())
                    .as("the encoder-decoder Q-Former has the extra encoder")
                    .isGreaterThan(decoderOnly.parameterCount());
        }
        assertThatThrownBy(() -> HybridFixtures.small(FusionKind.Q_FORMER, 9))
                .hasMessageContaining("stage2.queries must be in [1, buffer_size = 8]");
        assertThatThrownBy(() -> FusionKind.of("film"))
                .hasMessage("fusion 'film' is not one of none, cross-attention, q-former, q-former-decoder, discon");
    }

    /** stage2.learn_sigma reaches the head: 2C outputs (noise and variance) or C (noise only). */
    @Test
    void learnSigmaSetsTheHeadsOutputWidth() {
        int c = HybridFixtures.CHANNELS;
        try (NDManager m = NDManager.newBaseManager()) {
            for (boolean learn : new boolean[] {true, false}) {
                HybridModel model = initialized(m, HybridFixtures.small(FusionKind.NONE, 4, learn));
                assertThat(model.diffusion().head().learnsSigma()).isEqualTo(learn);
                assertThat(model.diffusion().getOutputShapes(new Shape[] {new Shape(3, c)})[0])
                        .isEqualTo(new Shape(3, learn ? 2 * c : c));
            }
        }
    }
}
