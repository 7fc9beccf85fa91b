package lab.d2c.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageBatchesTest {

    /** Three 1x2x2 images with pixels 0, 255, 127, ... and labels 0, 1, 2. */
    private static ImageSet threeImages() {
        byte[] px = {0, (byte) 255, 127, (byte) 128, 1, 2, 3, 4, (byte) 200, (byte) 201, (byte) 202, (byte) 203};
        return new ImageSet(3, 1, 2, 2, px, new int[] {0, 1, 2}, List.of("a", "b", "c"));
    }

    @Test
    void batchesPickTheIndexedImagesAndLabelsNormalizedToMinusOneOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDList batch = new ImageBatches(threeImages()).batch(m, new int[] {2, 0});
            assertThat(batch.get(0).getShape()).isEqualTo(new Shape(2, 1, 2, 2));
            assertThat(batch.get(0).getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(batch.get(0).toFloatArray()).containsExactly(200 / 127.5f - 1, 201 / 127.5f - 1,
                    202 / 127.5f - 1, 203 / 127.5f - 1, -1f, 1f, 127 / 127.5f - 1, 128 / 127.5f - 1);
            assertThat(batch.get(1).toIntArray()).containsExactly(2, 0);
        }
    }

    @Test
    void rangesMatchBatchesOfConsecutiveIndices() {
        try (NDManager m = NDManager.newBaseManager()) {
            ImageBatches b = new ImageBatches(threeImages());
            assertThat(b.images(m, 1, 3).toFloatArray()).containsExactly(b.batch(m, new int[] {1, 2}).get(0).toFloatArray());
            assertThatThrownBy(() -> b.images(m, 2, 4)).hasMessageContaining("outside [0, 3)");
        }
    }
}
