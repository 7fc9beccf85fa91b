package lab.d2c.model.rdpm;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Each training item's eps_1..eps_T: a pure function of (seed, image, flip), standard normal. */
class QuantizationNoiseTest {

    private static final QuantizationNoise NOISE = new QuantizationNoise(7, 3, 4, 4);

    @Test
    void theSameItemGivesTheSameValuesWhateverTheBatch() {
        float[] alone = NOISE.item(12, 1);
        assertThat(alone).hasSize(3 * 4 * 4 * 4);
        assertThat(new QuantizationNoise(7, 3, 4, 4).item(12, 1)).containsExactly(alone);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray batch = NOISE.batch(m, new long[] {3, 12, 0}, new int[] {0, 1, 1});
            assertThat(batch.getShape()).isEqualTo(NOISE.shape(3));
            float[] v = batch.toFloatArray();
            assertThat(Arrays.copyOfRange(v, NOISE.perItem(), 2 * NOISE.perItem())).containsExactly(alone);
            assertThat(Arrays.copyOfRange(v, 0, NOISE.perItem())).containsExactly(NOISE.item(3, 0));
        }
    }

    @Test
    void differentItemsAndSeedsDiffer() {
        float[] base = NOISE.item(5, 0);
        assertThat(NOISE.item(5, 1)).isNotEqualTo(base);
        assertThat(NOISE.item(6, 0)).isNotEqualTo(base);
        assertThat(new QuantizationNoise(8, 3, 4, 4).item(5, 0)).isNotEqualTo(base);
        // items (i, 1) and (i + 1, 0) are neighbours in the item order, not the same stream shifted
        assertThat(NOISE.item(2, 1)).isNotEqualTo(NOISE.item(3, 0));
    }

    @Test
    void valuesAreStandardNormal() {
        int items = 200;
        double sum = 0;
        double squares = 0;
        double fourth = 0;
        long n = 0;
        for (int i = 0; i < items; i++) {
            for (float x : NOISE.item(i / 2, i % 2)) {
                sum += x;
                squares += (double) x * x;
                fourth += (double) x * x * x * x;
                n++;
            }
        }
        double mean = sum / n;
        double variance = squares / n - mean * mean;
        // 38,400 draws: the standard errors of the mean, variance and fourth moment are about 0.005, 0.007, 0.05
        assertThat(mean).isCloseTo(0, Offset.offset(0.02));
        assertThat(variance).isCloseTo(1, Offset.offset(0.03));
        assertThat(fourth / n).isCloseTo(3, Offset.offset(0.2));
    }
}
