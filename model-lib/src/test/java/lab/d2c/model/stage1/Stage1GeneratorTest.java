package lab.d2c.model.stage1;

import lab.d2c.config.stage1.SamplingSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import lab.d2c.model.data.ImageGrid;
import lab.d2c.config.tokenizer.VqConfig;
import lab.d2c.model.tokenizer.VqTokenizer;
import org.junit.jupiter.api.Test;

/** The discrete-only baseline's generation: ArSampler's ids through the VQ decoder, whatever the batch sizes. */
class Stage1GeneratorTest {

    private static final VqConfig VQ = VqConfig.tiny().withImage(16, 1).withWidths(8, List.of(1, 2, 2), 1, 16)
            .withCodebook(16, 8);
    private static final SamplingSettings SETTINGS = SamplingSettings.plain().withTemperature(1.0);
    private static final int[] LABELS = {0, 1, 2, 3, 0};

    private static VqTokenizer vq(NDManager m, VqConfig config) {
        Engine.getInstance().setRandomSeed(1);
        VqTokenizer model = new VqTokenizer(config);
        model.block().initialize(m, DataType.FLOAT32, model.initShapes());
        return model;
    }

    @Test
    void idsAreArSamplersAndPixelsTheirDecodingWhateverTheBatchSizes() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiscreteArModel model = ArFixtures.randomized(ArFixtures.small(), m, 3);
            VqTokenizer decoder = vq(m, VQ);
            List<Integer> decodingAnnounced = new java.util.ArrayList<>();
            Stage1Generator.Progress progress = new Stage1Generator.Progress() {
                @Override
                public void tokens(long done, long total) {
                }

                @Override
                public void decoding(int images) {
                    decodingAnnounced.add(images);
                }
            };
            Stage1Generator.Result a = Stage1Generator.builder().setModel(model).setDecoder(decoder)
                    .setSampling(SETTINGS).setBatchSize(4).build().generate(m, LABELS, 7, progress);
            Stage1Generator.Result b = Stage1Generator.builder().setModel(model).setDecoder(decoder)
                    .setSampling(SETTINGS).setBatchSize(2).optDecodeBatch(5).build().generate(m, LABELS, 7, progress);
            assertThat(decodingAnnounced).containsExactly(5, 5);
            assertThat(b.ids()).isDeepEqualTo(a.ids());
            assertThat(b.pixels()).containsExactly(a.pixels());

            int[][] expected = new ArSampler(model).sample(m, LABELS, SETTINGS, 7, 4, true, null);
            assertThat(a.ids()).isDeepEqualTo(expected);
            assertThat(a.count()).isEqualTo(5);
            assertThat(a.channels()).isEqualTo(1);
            assertThat(a.size()).isEqualTo(16);
            try (NDManager scratch = m.newSubManager()) {
                byte[] decoded = ImageGrid.toPixels(decoder.decodeIds(scratch.create(a.flatIds(), new Shape(5, 4, 4)))
                        .toFloatArray());
                assertThat(a.pixels()).containsExactly(decoded);
            }
        }
    }

    @Test
    void aDecoderOfAnotherCodebookIsRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            DiscreteArModel model = ArFixtures.randomized(ArFixtures.small(), m, 3);
            VqTokenizer other = vq(m, VQ.withCodebook(32, 8));
            assertThatThrownBy(() -> Stage1Generator.builder().setModel(model).setDecoder(other)
                    .setSampling(SETTINGS).setBatchSize(4).build())
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("16 codes")
                    .hasMessageContaining("32 codes");
        }
    }
}
