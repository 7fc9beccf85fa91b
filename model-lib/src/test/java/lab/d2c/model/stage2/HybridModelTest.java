package lab.d2c.model.stage2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.SplittableRandom;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.model.nn.ParamGradients;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
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

    /**
     * Each sample's ids moved to other grid positions (a shuffle per sample): the same codes, another
     * layout. Attention over the discrete rows cannot tell the layouts apart unless the rows carry their
     * positions, so z must move with {@code learned} and stay (up to float rounding) with {@code none}.
     */
    @ParameterizedTest
    @EnumSource(value = FusionKind.class, names = {"CROSS_ATTENTION", "Q_FORMER", "Q_FORMER_DECODER"})
    void theAttentionFusionsSeeWhereADiscreteTokenSitsOnlyWithLearnedPositions(FusionKind fusion) {
        int[] ids = new SplittableRandom(3).ints(B * N, 0, HybridFixtures.VOCAB).toArray();
        int[] moved = new int[ids.length];
        SplittableRandom r = new SplittableRandom(8);
        for (int i = 0; i < B; i++) {
            int[] order = GenerationOrder.random(N, r);
            for (int p = 0; p < N; p++) {
                moved[i * N + p] = ids[i * N + order[p]];
            }
        }
        assertThat(moved).isNotEqualTo(ids);
        // a fixed init: the position term's effect at init is small (near-uniform attention averages the
        // rows' positions away), so the margins below are checked on known weights
        Engine.getInstance().setRandomSeed(11);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray tokens = m.randomNormal(new Shape(B, N, HybridFixtures.CHANNELS));
            for (DiscretePositions positions : DiscretePositions.values()) {
                HybridModel model = initialized(m,
                        HybridFixtures.small(fusion, 4).withDiscretePositions(positions));
                float[] base = z(m, model, tokens, ids, false).toFloatArray();
                float[] other = z(m, model, tokens, moved, false).toFloatArray();
                double largest = 0;
                for (int i = 0; i < base.length; i++) {
                    largest = Math.max(largest, Math.abs(base[i] - other[i]));
                }
                String what = fusion.key() + " with discrete_positions " + positions.key();
                System.out.printf("%s: largest change of z under a layout shuffle %.3g%n", what, largest);
                if (positions == DiscretePositions.LEARNED) {
                    // far above float rounding (the none arm's difference, about 1e-6)
                    assertThat(largest).as(what).isGreaterThan(1e-4);
                } else {
                    assertThat(largest).as(what).isLessThan(1e-5);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(FusionKind.class)
    void learnedDiscretePositionsAddTablesOnlyWhereAttentionReadsTheDiscreteTokens(FusionKind fusion) {
        try (NDManager m = NDManager.newBaseManager()) {
            HybridConfig config = HybridFixtures.small(fusion, 4);
            List<String> learned = names(initialized(m, config.withDiscretePositions(DiscretePositions.LEARNED)));
            List<String> none = names(initialized(m, config.withDiscretePositions(DiscretePositions.NONE)));
            assertThat(none).noneMatch(name -> name.startsWith("discrete_pos_embed"));
            List<String> added = learned.stream().filter(name -> !none.contains(name)).toList();
            switch (fusion) {
                case CROSS_ATTENTION -> assertThat(added)
                        .containsExactly("discrete_pos_embed_encoder", "discrete_pos_embed_decoder");
                case Q_FORMER, Q_FORMER_DECODER -> assertThat(added).containsExactly("discrete_pos_embed_encoder");
                default -> assertThat(learned)
                        .as("none reads no discrete tokens; discon adds them position by position").isEqualTo(none);
            }
        }
        assertThat(HybridConfig.tiny(4, 4, 3, 16, fusion).discretePositions()).isEqualTo(DiscretePositions.LEARNED);
        assertThat(HybridConfig.b(16, 16, 1000, 16384, fusion).discretePositions())
                .isEqualTo(DiscretePositions.LEARNED);
        assertThatThrownBy(() -> DiscretePositions.of("rope"))
                .hasMessage("stage2.discrete_positions 'rope' is not one of learned, none");
    }

    private static List<String> names(HybridModel model) {
        return model.getParameters().keys();
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

    /**
     * The training loss on the masked rows alone is MAR's form (every row through the head, the mean weighted by
     * the mask), value and every parameter's gradient, for every fusion, with dropout, the posterior draw and
     * diffusion_batch_mul 2; at steps whose mask ratio leaves rows unmasked, so the two forms run different rows.
     */
    @ParameterizedTest
    @EnumSource(FusionKind.class)
    void theMaskedRowsAloneGiveMarsLossAndGradients(FusionKind fusion) {
        int b = 3;
        int c = HybridFixtures.CHANNELS;
        HybridConfig config = HybridFixtures.small(fusion, 4).withDropout(0.2, 0.2, 0.1, 0.1);
        assertThat(config.diffusionBatchMul()).isGreaterThan(1);
        try (NDManager m = NDManager.newBaseManager()) {
            HybridModel model = initialized(m, config);
            HybridFixtures.moveOffZeroInit(model, 19);
            SplittableRandom r = new SplittableRandom(23);
            float[] means = new float[b * N * c];
            float[] stds = new float[b * N * c];
            for (int i = 0; i < means.length; i++) {
                means[i] = (float) r.nextGaussian();
                stds[i] = (float) (0.1 + 0.2 * r.nextDouble());
            }
            int[] ids = r.ints(b * N, 0, HybridFixtures.VOCAB).toArray();
            int[] labels = {0, 2, 1};
            int checked = 0;
            for (long step = 0; checked < 2; step++) {
                StepRandom rng = new StepRandom(29, step);
                try (NDManager scope = m.newSubManager()) {
                    NDList batch = new NDList(scope.create(means, new Shape(b, N, c)),
                            scope.create(ids, new Shape(b, N)), scope.create(labels),
                            scope.create(stds, new Shape(b, N, c)));
                    float[] ratio = new float[1];
                    ParamGradients.Computed mar = ParamGradients.of(model, () -> {
                        StepLoss l = model.loss(scope, batch, rng, true);
                        ratio[0] = l.metrics().get("mask_ratio").getFloat();
                        return l.loss();
                    });
                    if (MaskRatioSampler.maskedCount(N, ratio[0]) == N) {
                        continue;
                    }
                    ParamGradients.Computed masked = ParamGradients.of(model,
                            () -> model.loss(scope, batch, rng, false).loss());
                    ParamGradients.assertSame(mar, masked, 1e-5);
                    checked++;
                }
            }
        }
    }

    /**
     * A garbage collection between the forward and the backward pass changes no gradient. The masked-row gather
     * and the distinct-step lookup make their indices from Java values, in direct buffers libtorch borrows; an
     * index whose handle was closed before the backward pass was freed by the collector and its memory reused
     * (the weights of a resumed train-stage2 differed from an uninterrupted run's). The churn here frees what is
     * unreachable and reallocates zeroed direct buffers of every size the step used.
     */
    @Test
    void aGarbageCollectionBetweenForwardAndBackwardChangesNoGradient() {
        int b = 3;
        int c = HybridFixtures.CHANNELS;
        HybridConfig config = HybridFixtures.small(FusionKind.CROSS_ATTENTION, 4);
        try (NDManager m = NDManager.newBaseManager()) {
            HybridModel model = initialized(m, config);
            HybridFixtures.moveOffZeroInit(model, 19);
            SplittableRandom r = new SplittableRandom(23);
            float[] means = new float[b * N * c];
            for (int i = 0; i < means.length; i++) {
                means[i] = (float) r.nextGaussian();
            }
            int[] ids = r.ints(b * N, 0, HybridFixtures.VOCAB).toArray();
            StepRandom rng = new StepRandom(29, 1);
            ParamGradients.Computed[] runs = new ParamGradients.Computed[2];
            for (int run = 0; run < 2; run++) {
                boolean churn = run == 1;
                try (NDManager scope = m.newSubManager()) {
                    NDList batch = new NDList(scope.create(means, new Shape(b, N, c)),
                            scope.create(ids, new Shape(b, N)), scope.create(new int[] {0, 2, 1}));
                    runs[run] = ParamGradients.of(model, () -> {
                        NDArray loss = model.loss(scope, batch, rng).loss();
                        if (churn) {
                            for (int round = 0; round < 3; round++) {
                                System.gc();
                                sleep(50);
                                java.util.List<java.nio.ByteBuffer> held = new java.util.ArrayList<>();
                                for (int size = 8; size <= 1 << 20; size *= 2) {
                                    for (int k = 0; k < 16; k++) {
                                        held.add(java.nio.ByteBuffer.allocateDirect(size + 8 * k));
                                    }
                                }
                            }
                        }
                        return loss;
                    });
                }
            }
            assertThat(runs[1].loss()).isEqualTo(runs[0].loss());
            for (String name : runs[0].gradients().keySet()) {
                assertThat(runs[1].gradients().get(name)).as(name).containsExactly(runs[0].gradients().get(name));
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
