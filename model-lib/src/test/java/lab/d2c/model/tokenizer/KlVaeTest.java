package lab.d2c.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import lab.d2c.config.tokenizer.KlLossReduction;
import lab.d2c.config.tokenizer.KlVaeConfig;
import lab.d2c.model.data.ShapesDataset;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import org.junit.jupiter.api.Test;

class KlVaeTest {

    static KlVaeConfig testConfig() {
        return KlVaeConfig.tiny().withImage(16, 1).withWidths(8, List.of(1, 2, 2), 1);
    }

    static KlVae initialized(NDManager m, KlVaeConfig config, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        KlVae model = new KlVae(config);
        model.block().initialize(m, DataType.FLOAT32, model.initShapes());
        return model;
    }

    @Test
    void tinyPresetEncodesTo8x8LatentsAndDecodesBack() {
        try (NDManager m = NDManager.newBaseManager()) {
            KlVae vae = initialized(m, KlVaeConfig.tiny(), 1);
            NDArray images = TinyAdam.images(m, ShapesDataset.generate(2, 32, 1, 4, 1));
            NDArray mean = vae.encodeMean(images);
            assertThat(mean.getShape()).isEqualTo(new Shape(2, 4, 8, 8));
            assertThat(vae.decode(mean).getShape()).isEqualTo(new Shape(2, 1, 32, 32));
        }
    }

    @Test
    void sameStepRandomGivesBitIdenticalLossesAndOtherStepsDiffer() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList batch = new NDList(TinyAdam.images(m, ShapesDataset.generate(4, 16, 1, 4, 2)));
            float[] first = new float[3];
            for (int run = 0; run < 2; run++) {
                KlVae vae = initialized(m, testConfig(), 42);
                TinyAdam adam = new TinyAdam(vae, m, 1e-3);
                for (int s = 0; s < 3; s++) {
                    float loss = (float) adam.step(batch, new StepRandom(9, s));
                    if (run == 0) {
                        first[s] = loss;
                    } else {
                        assertThat(loss).as("step %d", s).isEqualTo(first[s]);
                    }
                }
            }
            KlVae vae = initialized(m, testConfig(), 42);
            try (NDManager step = m.newSubManager()) {
                float a = vae.loss(step, batch, new StepRandom(9, 0)).loss().getFloat();
                float b = vae.loss(step, batch, new StepRandom(9, 1)).loss().getFloat();
                assertThat(a).isEqualTo(first[0]).isNotEqualTo(b); // the posterior noise depends on the step
            }
        }
    }

    @Test
    void lossIsMsePlusTheReductionsKlCoefficientTimesKlAndReportsPsnr() {
        // 16x16 grey: P = 256 pixels per image, so LDM's KL coefficient is 0.01 / 256.
        assertThat(KlVaeConfig.tiny().lossReduction()).isEqualTo(KlLossReduction.LDM);
        double[] total = new double[2];
        double[] kls = new double[2];
        for (KlLossReduction reduction : KlLossReduction.values()) {
            try (NDManager m = NDManager.newBaseManager(); NDManager step = m.newSubManager()) {
                KlVae vae = initialized(m, testConfig().withLatent(4, 0.01).withLossReduction(reduction), 3);
                StepLoss loss = vae.loss(step, new NDList(TinyAdam.images(m, ShapesDataset.generate(4, 16, 1, 4, 2))),
                        new StepRandom(0, 0));
                assertThat(loss.metrics()).containsOnlyKeys("mse", "psnr", "kl");
                double mse = loss.metrics().get("mse").getFloat();
                double kl = loss.metrics().get("kl").getFloat();
                double c = reduction == KlLossReduction.LDM ? 0.01 / 256 : 0.01;
                total[reduction.ordinal()] = loss.loss().getFloat();
                kls[reduction.ordinal()] = kl;
                assertThat(total[reduction.ordinal()]).as("%s", reduction)
                        .isCloseTo(mse + c * kl, within(1e-5 * (mse + c * kl)));
                assertThat((double) loss.metrics().get("psnr").getFloat())
                        .isCloseTo(ReconstructionMetrics.psnr(mse), within(1e-3));
            }
        }
        // Same weights, batch and noise, so the same KL: the losses differ by exactly the KL's share.
        assertThat(kls[0]).isEqualTo(kls[1]).isGreaterThan(0);
        assertThat(total[KlLossReduction.MEAN.ordinal()] - total[KlLossReduction.LDM.ordinal()])
                .isCloseTo(0.01 * (1 - 1 / 256.0) * kls[0], within(1e-5 * (1 + total[0])));
    }

    @Test
    void reductionsGiveLdmsPerImageSumsOverPixelsAndTheDocumentedRatioInClosedForm() {
        // B = 2 images of 1x4x4 (P = 16), reconstruction error 0.5 everywhere: per-pixel mse 0.25 and
        // per-image sum 16 * 0.25 = 4. Posterior mean 1 and logvar 0 on 2x2x2 latents (8 elements):
        // KL per image = 0.5 * 8 * (1 + 1 - 1 - 0) = 4. kl_weight 0.1.
        //   LDM's loss (contperceptual.py L57, L60, L83) = 4 + 0.1 * 4 = 4.4; divided by P: 0.275.
        //   MEAN = 0.25 + 0.1 * 4 = 0.65. KL terms: 0.4 / 16 vs 0.4, ratio P = 16.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray images = m.zeros(new Shape(2, 1, 4, 4));
            NDArray reconstruction = m.full(new Shape(2, 1, 4, 4), 0.5f);
            DiagonalGaussian q = new DiagonalGaussian(m.ones(new Shape(2, 2, 2, 2)), m.zeros(new Shape(2, 2, 2, 2)));
            KlVaeConfig base = KlVaeConfig.tiny().withImage(4, 1).withWidths(4, List.of(1, 2), 1).withLatent(2, 0.1);
            double ldm = KlVae.objective(base.withLossReduction(KlLossReduction.LDM), reconstruction, images, q)
                    .loss().getFloat();
            double mean = KlVae.objective(base.withLossReduction(KlLossReduction.MEAN), reconstruction, images, q)
                    .loss().getFloat();
            assertThat(ldm).isCloseTo(4.4 / 16, within(1e-6));
            assertThat(mean).isCloseTo(0.65, within(1e-6));
            assertThat((mean - 0.25) / (ldm - 0.25)).isCloseTo(16, within(1e-3));
        }
        assertThat(KlLossReduction.LDM.klCoefficient(1e-6, 256L * 256 * 3)).isEqualTo(1e-6 / 196_608);
        assertThat(KlLossReduction.MEAN.klCoefficient(1e-6, 256L * 256 * 3)).isEqualTo(1e-6);
        assertThat(KlLossReduction.parse("ldm")).isEqualTo(KlLossReduction.LDM);
        assertThat(KlLossReduction.parse("mean")).isEqualTo(KlLossReduction.MEAN);
        assertThatThrownBy(() -> KlLossReduction.parse("sum")).hasMessageContaining("loss_reduction");
    }

    @Test
    void latentScaleMakesLatentsUnitVariance() {
        try (NDManager m = NDManager.newBaseManager()) {
            KlVae vae = initialized(m, testConfig(), 5);
            NDArray images = TinyAdam.images(m, ShapesDataset.generate(10, 16, 1, 4, 3));
            LatentScale scale = LatentScale.estimate(vae, images, 4, new StepRandom(0, 0));
            LatentScale again = LatentScale.estimate(vae, images, 4, new StepRandom(0, 0));
            assertThat(again).isEqualTo(scale);
            NDArray latents = m.randomNormal(new Shape(4000)).mul(m.full(new Shape(), 3f));
            LatentScale fromLatents = LatentScale.fromLatents(latents);
            assertThat(fromLatents.factor()).isCloseTo(1 / 3.0, within(0.02));
            double[] std = fromLatents.apply(latents).toType(DataType.FLOAT64, false).toDoubleArray();
            double s = 0;
            double sq = 0;
            for (double v : std) {
                s += v;
                sq += v * v;
            }
            assertThat(sq / std.length - (s / std.length) * (s / std.length)).isCloseTo(1, within(1e-4));
            assertThat(fromLatents.invert(fromLatents.apply(latents)).toFloatArray())
                    .containsExactly(latents.toFloatArray(), org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void overfitsOneBatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            KlVae vae = initialized(m, testConfig(), 7);
            NDList batch = new NDList(TinyAdam.images(m, ShapesDataset.generate(8, 16, 1, 4, 5)));
            TinyAdam adam = new TinyAdam(vae, m, 3e-3);
            double first = adam.step(batch, new StepRandom(1, 0));
            double last = first;
            long start = System.nanoTime();
            int s = 1;
            for (; s < 400 && last > first / 20; s++) {
                last = adam.step(batch, new StepRandom(1, s));
            }
            System.out.printf("KL-VAE overfit: %.4f -> %.4f in %d steps, %.1f s%n", first, last, s,
                    (System.nanoTime() - start) / 1e9);
            assertThat(last).isLessThan(first / 10);
        }
    }

    @Test
    void configsNameTheBadFieldAndRefuseThePretrainedLosses() {
        assertThatThrownBy(() -> new KlVaeConfig(32, 1, 16, List.of(1, 2, 4), 1, 4, 1e-6, KlLossReduction.LDM, true, false))
                .hasMessageContaining("vae.perceptual_loss").hasMessageContaining("pretrained");
        assertThatThrownBy(() -> new KlVaeConfig(32, 1, 16, List.of(1, 2, 4), 1, 4, 1e-6, KlLossReduction.LDM, false, true))
                .hasMessageContaining("vae.adversarial_loss");
        assertThatThrownBy(() -> KlVaeConfig.tiny().withLatent(0, 1e-6)).hasMessageContaining("vae.latent_channels");
        assertThatThrownBy(() -> KlVaeConfig.tiny().withLatent(4, -1)).hasMessageContaining("vae.kl_weight");
        assertThatThrownBy(() -> KlVaeConfig.tiny().withLossReduction(null))
                .hasMessageContaining("vae.loss_reduction");
        assertThat(KlVaeConfig.b().stride()).isEqualTo(16);
        assertThat(KlVaeConfig.b().latentChannels()).isEqualTo(16);
        assertThat(KlVaeConfig.tiny().latentGrid()).isEqualTo(8);
    }
}
