package lab.d2c.model.rdpm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.data.ShapesDataset;
import org.junit.jupiter.api.Test;

/**
 * The predictor's batches carry the noise the codes were quantized with: re-encoding a batch's images with the
 * batch's noise gives the batch's codes (section 3.2 trains on the same eps_t).
 */
class RdpmCodeMapsTest {

    private static final ImageSet IMAGES = ShapesDataset.generate(6, 16, 1, 4, 9);

    @Test
    void aBatchsNoiseReEncodesItsImagesToItsCodes() {
        try (NDManager m = NDManager.newBaseManager()) {
            RdpmTokenizer tokenizer = RdpmTokenizerTest.initialized(m, RdpmTokenizerTest.testConfig(), 4);
            QuantizationNoise noise = QuantizationNoise.of(tokenizer, 3);
            int[] codes = new RdpmPretokenizer(tokenizer, noise, 4).encode(IMAGES, 0, m, done -> { });
            // neither batching nor sharding changes the codes: each item has its own noise, by its global index
            int[] first = new RdpmPretokenizer(tokenizer, noise, 3).encode(IMAGES.slice(0, 4), 0, m, done -> { });
            int[] second = new RdpmPretokenizer(tokenizer, noise, 1).encode(IMAGES.slice(4, 6), 4, m, done -> { });
            int[] sharded = Arrays.copyOf(first, codes.length);
            System.arraycopy(second, 0, sharded, first.length, second.length);
            assertThat(sharded).containsExactly(codes);

            int grid = tokenizer.config().tokenGrid();
            int steps = tokenizer.config().steps();
            int[] labels = IMAGES.labels();
            RdpmCodeMaps data = new RdpmCodeMaps(codes, labels, steps, grid, noise);
            assertThat(data.size()).isEqualTo(12);
            int[] items = {7, 0, 10, 3};
            NDList batch = data.batch(m, items);
            assertThat(batch.get(0).getShape().getShape()).containsExactly(4, steps, grid, grid);
            assertThat(batch.get(2).getShape()).isEqualTo(tokenizer.noiseShape(4));
            assertThat(batch.get(2).getDataType()).isEqualTo(DataType.FLOAT32);

            NDArray plain = new ImageBatches(IMAGES).images(m, 0, IMAGES.count());
            int[] batchCodes = batch.get(0).toIntArray();
            int per = data.itemLength();
            for (int i = 0; i < items.length; i++) {
                int image = items[i] / 2;
                boolean mirrored = items[i] % 2 == 1;
                NDArray x = plain.get(image + ":" + (image + 1));
                if (mirrored) {
                    x = x.flip(3);
                }
                NDArray eps = batch.get(2).get(i + ":" + (i + 1));
                int[] fresh = tokenizer.encode(x, eps).toIntArray();
                int[] stored = Arrays.copyOfRange(batchCodes, i * per, (i + 1) * per);
                assertThat(stored).as("item %d", items[i]).containsExactly(fresh);
                assertThat(batch.get(1).toIntArray()[i]).isEqualTo(labels[image]);
                // the noise matters: another item's noise quantizes the same image differently
                NDArray other = noise.batch(m, new long[] {image + 1}, new int[] {items[i] % 2});
                assertThat(tokenizer.encode(x, other).toIntArray()).isNotEqualTo(stored);
            }
        }
    }
}
