package lab.d2c.model.pretokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.List;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.data.ShapesDataset;
import lab.d2c.model.tokenizer.DiagonalGaussian;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.config.tokenizer.KlVaeConfig;
import lab.d2c.config.tokenizer.VqConfig;
import lab.d2c.model.tokenizer.VqTokenizer;
import org.junit.jupiter.api.Test;

class PretokenizerTest {

    private static final VqConfig VQ = VqConfig.tiny().withImage(16, 1).withWidths(8, List.of(1, 2, 2), 1, 16)
            .withCodebook(64, 8);
    private static final KlVaeConfig VAE = KlVaeConfig.tiny().withImage(16, 1).withWidths(8, List.of(1, 2, 2), 1);

    private static VqTokenizer vq(NDManager m) {
        Engine.getInstance().setRandomSeed(1);
        VqTokenizer model = new VqTokenizer(VQ);
        model.block().initialize(m, DataType.FLOAT32, model.initShapes());
        return model;
    }

    private static KlVae vae(NDManager m) {
        Engine.getInstance().setRandomSeed(2);
        KlVae model = new KlVae(VAE);
        model.block().initialize(m, DataType.FLOAT32, model.initShapes());
        return model;
    }

    @Test
    void flipZeroIsTheImageAndFlipOneItsMirrorForBothTokenizers() {
        try (NDManager m = NDManager.newBaseManager()) {
            VqTokenizer vq = vq(m);
            KlVae vae = vae(m);
            ImageSet images = ShapesDataset.generate(5, 16, 1, 3, 7);
            // batch size 2 does not divide 5: the last batch is partial
            TokenShard shard = new Pretokenizer(vq, vae, 2).encode(images, m);

            assertThat(shard.idsShape()).containsExactly(5, 2, 4, 4);
            assertThat(shard.momentsShape()).containsExactly(5, 2, 8, 4, 4);
            assertThat(shard.labels()).containsExactly(images.labels());

            NDArray plain = new ImageBatches(images).images(m, 0, 5);
            NDArray mirrored = plain.flip(3);
            int[] idsPlain = vq.encodeIds(plain).toIntArray();
            int[] idsMirrored = vq.encodeIds(mirrored).toIntArray();
            DiagonalGaussian qPlain = vae.encode(plain);
            DiagonalGaussian qMirrored = vae.encode(mirrored);
            float[] momentsPlain = qPlain.mean().concat(qPlain.logvar(), 1).toFloatArray();
            float[] momentsMirrored = qMirrored.mean().concat(qMirrored.logvar(), 1).toFloatArray();
            int tokens = 16;
            int momentValues = 8 * 16;
            for (int i = 0; i < 5; i++) {
                assertThat(slice(shard.ids(), (i * 2) * tokens, tokens)).as("ids of image %d", i)
                        .containsExactly(slice(idsPlain, i * tokens, tokens));
                assertThat(slice(shard.ids(), (i * 2 + 1) * tokens, tokens)).as("ids of mirrored image %d", i)
                        .containsExactly(slice(idsMirrored, i * tokens, tokens));
                assertThat(slice(shard.moments(), (i * 2) * momentValues, momentValues))
                        .usingComparatorWithPrecision(1e-5f)
                        .containsExactly(slice(momentsPlain, i * momentValues, momentValues));
                assertThat(slice(shard.moments(), (i * 2 + 1) * momentValues, momentValues))
                        .usingComparatorWithPrecision(1e-5f)
                        .containsExactly(slice(momentsMirrored, i * momentValues, momentValues));
            }
            // a mirrored image is a different input: at least one image's tokens differ from its mirror's
            assertThat(Arrays.equals(idsPlain, idsMirrored)).isFalse();
        }
    }

    @Test
    void refusesTokenizersWhoseGridsDoNotAlign() {
        try (NDManager m = NDManager.newBaseManager()) {
            KlVae coarse = new KlVae(VAE.withWidths(8, List.of(1, 2, 2, 2), 1));
            assertThatThrownBy(() -> new Pretokenizer(vq(m), coarse, 4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be the same");
        }
    }

    private static int[] slice(int[] a, int from, int n) {
        return Arrays.copyOfRange(a, from, from + n);
    }

    private static float[] slice(float[] a, int from, int n) {
        return Arrays.copyOfRange(a, from, from + n);
    }
}
