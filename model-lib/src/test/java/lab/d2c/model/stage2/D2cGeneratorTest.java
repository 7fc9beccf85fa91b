package lab.d2c.model.stage2;

import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.GuidanceSchedule;
import lab.d2c.config.stage2.HybridSamplingSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.model.data.ImageGrid;
import lab.d2c.model.stage1.ArSampler;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.stage1.DiscreteArModel;
import lab.d2c.config.stage1.SamplingSettings;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.config.tokenizer.KlVaeConfig;
import lab.d2c.model.tokenizer.LatentScale;
import org.junit.jupiter.api.Test;

/** D2C generation from labels to pixels: stage one's ids, stage two's tokens, un-scaled and decoded. */
class D2cGeneratorTest {

    private static final HybridSamplingSettings SETTINGS = new HybridSamplingSettings(3, 2.0, GuidanceSchedule.LINEAR, 1.0, 0);
    private static final SamplingSettings FIRST = SamplingSettings.plain().withTemperature(1.0);
    private static final LatentScale SCALE = new LatentScale(0.5);
    private static final int[] LABELS = {0, 1, 2, 0, 1};

    private static final class Counted implements D2cGenerator.Progress {
        long tokens;
        final List<String> steps = new ArrayList<>();

        @Override
        public void stageOne(long done, long total) {
            tokens = done;
        }

        @Override
        public void stageTwo(int first, int size, int step, int steps) {
            this.steps.add(first + "+" + size + ":" + step + "/" + steps);
        }
    }

    private static KlVae vae(NDManager m) {
        Engine.getInstance().setRandomSeed(2);
        KlVae model = new KlVae(KlVaeConfig.tiny().withImage(16, 1).withWidths(8, List.of(1, 2, 2), 1));
        model.block().initialize(m, DataType.FLOAT32, model.initShapes());
        return model;
    }

    private static HybridModel stage2(NDManager m, FusionKind fusion) {
        Engine.getInstance().setRandomSeed(3);
        HybridModel model = new HybridModel(HybridFixtures.small(fusion, 4));
        model.initialize(m, DataType.FLOAT32, model.initShapes());
        return model;
    }

    private static DiscreteArModel stage1(NDManager m) {
        Engine.getInstance().setRandomSeed(4);
        DiscreteArModel model = new DiscreteArModel(new DiscreteArConfig(HybridFixtures.VOCAB, HybridFixtures.GRID,
                HybridFixtures.CLASSES, 32, 2, 2, 1, 8, 1e-5, 10000, 0, 0, 0, 0));
        model.initialize(m, DataType.FLOAT32, model.initShapes());
        return model;
    }

    @Test
    void theStagesRunInTurnAndTheLatentsDoNotDependOnTheBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            HybridModel model = stage2(m, FusionKind.CROSS_ATTENTION);
            DiscreteArModel first = stage1(m);
            KlVae decoder = vae(m);
            Counted progress = new Counted();
            D2cGenerator.Result a = D2cGenerator.builder().setModel(model).setSampling(SETTINGS).setDecoder(decoder)
                    .setLatentScale(SCALE).setBatchSize(3).optStage1(first, FIRST).build()
                    .generate(m, LABELS, 9, progress);
            assertThat(progress.tokens).isEqualTo(5L * 16);
            assertThat(progress.steps).containsExactly("0+3:1/3", "0+3:2/3", "0+3:3/3", "3+2:1/3", "3+2:2/3",
                    "3+2:3/3");
            assertThat(a.ids()).isDeepEqualTo(new ArSampler(first).sample(m, LABELS, FIRST, 9, 3, true, null));
            assertThat(a.latents()).hasSize(5 * 16 * 4);
            assertThat(a.pixels()).hasSize(5 * 16 * 16);
            assertThat(a.stage1Seconds()).isPositive();

            D2cGenerator.Result b = D2cGenerator.builder().setModel(model).setSampling(SETTINGS).setDecoder(decoder)
                    .setLatentScale(SCALE).setBatchSize(5).optStage1(first, FIRST).build()
                    .generate(m, LABELS, 9, new Counted());
            assertThat(b.ids()).isDeepEqualTo(a.ids());
            assertThat(b.latents()).containsExactly(a.latents());
        }
    }

    @Test
    void pixelsAreTheDecodedUnscaledTokensAndNoneTakesNoStageOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            HybridModel model = stage2(m, FusionKind.NONE);
            KlVae decoder = vae(m);
            D2cGenerator.Result a = D2cGenerator.builder().setModel(model).setSampling(SETTINGS).setDecoder(decoder)
                    .setLatentScale(SCALE).setBatchSize(5).build().generate(m, LABELS, 9, new Counted());
            assertThat(a.ids()).isNull();
            assertThat(a.stage1Seconds()).isZero();
            try (NDManager scratch = m.newSubManager()) {
                NDArray tokens = new HybridSampler(model).sample(scratch, LABELS, null, SETTINGS, 9, 0, null);
                assertThat(a.latents()).containsExactly(tokens.toFloatArray());
                NDArray z = tokens.div(scratch.full(new ai.djl.ndarray.types.Shape(), 0.5f)).reshape(5, 4, 4, 4)
                        .transpose(0, 3, 1, 2);
                assertThat(a.pixels()).containsExactly(ImageGrid.toPixels(decoder.decode(z).toFloatArray()));
            }
            assertThatThrownBy(() -> D2cGenerator.builder().setModel(model).setSampling(SETTINGS).setDecoder(decoder)
                    .setLatentScale(SCALE).setBatchSize(5).optStage1(stage1(m), FIRST).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes no stage one");
            HybridModel fused = stage2(m, FusionKind.Q_FORMER);
            assertThatThrownBy(() -> D2cGenerator.builder().setModel(fused).setSampling(SETTINGS).setDecoder(decoder)
                    .setLatentScale(SCALE).setBatchSize(5).build())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs stage one");
        }
    }
}
