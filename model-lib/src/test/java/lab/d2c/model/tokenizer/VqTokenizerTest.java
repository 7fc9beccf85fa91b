package lab.d2c.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import lab.d2c.config.tokenizer.VqConfig;
import lab.d2c.model.data.ShapesDataset;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import org.junit.jupiter.api.Test;

class VqTokenizerTest {

    /** Narrower than tiny for speed: 16x16 grey, stride 4, widths 8/16/16, 64 codes. */
    static VqConfig testConfig() {
        return VqConfig.tiny().withImage(16, 1).withWidths(8, List.of(1, 2, 2), 1, 16).withCodebook(64, 8);
    }

    static VqTokenizer initialized(NDManager m, VqConfig config, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        VqTokenizer model = new VqTokenizer(config);
        model.block().initialize(m, DataType.FLOAT32, model.initShapes());
        return model;
    }

    @Test
    void tinyPresetTurns32x32ImagesInto8x8IdsAndBack() {
        try (NDManager m = NDManager.newBaseManager()) {
            VqTokenizer model = initialized(m, VqConfig.tiny(), 1);
            NDArray images = TinyAdam.images(m, ShapesDataset.generate(2, 32, 1, 4, 1));
            NDArray ids = model.encodeIds(images);
            assertThat(ids.getShape()).isEqualTo(new Shape(2, 8, 8));
            assertThat(ids.getDataType()).isEqualTo(DataType.INT32);
            assertThat(java.util.Arrays.stream(ids.toIntArray()).allMatch(i -> i >= 0 && i < 512)).isTrue();
            NDArray back = model.decodeIds(ids);
            assertThat(back.getShape()).isEqualTo(new Shape(2, 1, 32, 32));
            NDArray codebook = model.codebook(m);
            assertThat(codebook.getShape()).isEqualTo(new Shape(512, 8));
            for (float n : codebook.norm(new int[] {1}).toFloatArray()) {
                assertThat(n).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-5f));
            }
            assertThat(ids.getManager()).isSameAs(m);
        }
    }

    @Test
    void sameStepRandomGivesBitIdenticalLosses() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList batch = new NDList(TinyAdam.images(m, ShapesDataset.generate(4, 16, 1, 4, 2)));
            float[] first = new float[3];
            for (int run = 0; run < 2; run++) {
                VqTokenizer model = initialized(m, testConfig(), 42);
                TinyAdam adam = new TinyAdam(model, m, 1e-3);
                for (int s = 0; s < 3; s++) {
                    float loss = (float) adam.step(batch, new StepRandom(9, s));
                    if (run == 0) {
                        first[s] = loss;
                    } else {
                        assertThat(loss).as("step %d", s).isEqualTo(first[s]);
                    }
                }
            }
        }
    }

    @Test
    void reportsTheNamedMetrics() {
        try (NDManager m = NDManager.newBaseManager(); NDManager step = m.newSubManager()) {
            VqTokenizer model = initialized(m, testConfig(), 3);
            StepLoss loss = model.loss(step, new NDList(TinyAdam.images(m, ShapesDataset.generate(4, 16, 1, 4, 2))),
                    new StepRandom(0, 0));
            assertThat(loss.metrics()).containsOnlyKeys("mse", "psnr", "codebook_loss", "commitment_loss",
                    "perplexity", "usage");
            double mse = loss.metrics().get("mse").getFloat();
            assertThat((double) loss.metrics().get("psnr").getFloat())
                    .isCloseTo(ReconstructionMetrics.psnr(mse), org.assertj.core.data.Offset.offset(1e-3));
            assertThat(loss.metrics().get("perplexity").getFloat()).isBetween(1f, 64f);
        }
    }

    @Test
    void deadCodesAreReplacedByThisBatchsEncoderOutputsAndLiveCodesStay() {
        try (NDManager m = NDManager.newBaseManager(); NDManager step = m.newSubManager()) {
            VqConfig config = testConfig().withDeadCodes(64, 1, 5);
            VqTokenizer model = initialized(m, config, 4);
            NDList batch = new NDList(TinyAdam.images(m, ShapesDataset.generate(4, 16, 1, 4, 3)));
            float[] before = model.quantizer().codebookParameter().getArray().toFloatArray();
            StepLoss loss = model.loss(step, batch, new StepRandom(0, 4));
            NDList out = model.forward(new ai.djl.training.ParameterStore(step, false), batch, false);
            float[] candidates = out.get(4).toFloatArray();
            long[] ids = out.get(1).toLongArray();
            model.afterStep(step, 4, new StepRandom(0, 4)); // step index 4 = the 5th step: re-init is due
            assertThat(loss.loss().getFloat()).isPositive();
            java.util.Set<Long> used = new java.util.HashSet<>();
            for (long id : ids) {
                used.add(id);
            }
            float[] after = model.quantizer().codebookParameter().getArray().toFloatArray();
            int changed = 0;
            for (int k = 0; k < 64; k++) {
                float[] row = java.util.Arrays.copyOfRange(after, k * 8, k * 8 + 8);
                if (used.contains((long) k)) {
                    assertThat(row).as("live code %d", k).containsExactly(java.util.Arrays.copyOfRange(before, k * 8, k * 8 + 8));
                } else {
                    assertThat(isRowOf(row, candidates)).as("dead code %d", k).isTrue();
                    changed++;
                }
            }
            assertThat(changed).isPositive();
        }
    }

    private static boolean isRowOf(float[] row, float[] candidates) {
        for (int r = 0; r < candidates.length / 8; r++) {
            if (java.util.Arrays.equals(row, java.util.Arrays.copyOfRange(candidates, r * 8, r * 8 + 8))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void overfitsOneBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            VqTokenizer model = initialized(m, testConfig(), 7);
            NDList batch = new NDList(TinyAdam.images(m, ShapesDataset.generate(8, 16, 1, 4, 5)));
            TinyAdam adam = new TinyAdam(model, m, 3e-3);
            double first = adam.step(batch, new StepRandom(1, 0));
            double last = first;
            long start = System.nanoTime();
            int s = 1;
            for (; s < 400 && last > first / 20; s++) {
                last = adam.step(batch, new StepRandom(1, s));
            }
            System.out.printf("VQ overfit: %.4f -> %.4f in %d steps, %.1f s%n", first, last, s,
                    (System.nanoTime() - start) / 1e9);
            assertThat(last).isLessThan(first / 10);
        }
    }

    @Test
    void configsNameTheBadFieldAndRefuseThePretrainedLosses() {
        VqConfig t = VqConfig.tiny();
        assertThatThrownBy(() -> new VqConfig(32, 1, 16, List.of(1, 2, 4), 1, 32, 512, 8, 0.25, 8192, 1, 200, true, false))
                .hasMessageContaining("vq.perceptual_loss").hasMessageContaining("pretrained");
        assertThatThrownBy(() -> new VqConfig(32, 1, 16, List.of(1, 2, 4), 1, 32, 512, 8, 0.25, 8192, 1, 200, false, true))
                .hasMessageContaining("vq.adversarial_loss");
        assertThatThrownBy(() -> t.withCodebook(1, 8)).hasMessageContaining("vq.codebook_size");
        assertThatThrownBy(() -> t.withImage(30, 1)).hasMessageContaining("vq.image_size");
        assertThatThrownBy(() -> t.withWidths(16, List.of(1, 0), 1, 32)).hasMessageContaining("vq.width_multipliers[1]");
        assertThat(t.stride()).isEqualTo(4);
        assertThat(t.tokenGrid()).isEqualTo(8);
        assertThat(VqConfig.b().stride()).isEqualTo(16);
        assertThat(VqConfig.b().codebookSize()).isEqualTo(16384);
        assertThat(VqConfig.b().codeDim()).isEqualTo(8);
        assertThat(t.commitmentBeta()).isEqualTo(0.25);
    }
}
