package lab.d2c.model.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShapesDatasetTest {

    @Test
    void sameSeedSameImagesAndPrefixProperty() {
        ImageSet a = ShapesDataset.generate(50, 16, 1, 4, 7);
        ImageSet b = ShapesDataset.generate(80, 16, 1, 4, 7);
        assertThat(b.slice(0, 50).pixels()).isEqualTo(a.pixels());
        assertThat(b.slice(0, 50).labels()).isEqualTo(a.labels());
        assertThat(ShapesDataset.generate(50, 16, 1, 4, 8).pixels()).isNotEqualTo(a.pixels());
    }

    @Test
    void everyClassAppearsAndImagesAreNotBlank() {
        ImageSet s = ShapesDataset.generate(400, 32, 3, 10, 1);
        assertThat(java.util.Arrays.stream(s.countsPerClass()).min().getAsInt()).isGreaterThan(10);
        for (int i = 0; i < s.count(); i++) {
            int lit = 0;
            for (int k = 0; k < s.imageBytes(); k++) {
                lit += s.pixels()[i * s.imageBytes() + k] != 0 ? 1 : 0;
            }
            assertThat(lit).as("image %d", i).isGreaterThan(10);
        }
    }

    @Test
    void classesDifferInShape() {
        // The mean image of each class differs from every other class's mean image.
        ImageSet s = ShapesDataset.generate(2000, 16, 1, 6, 3);
        double[][] mean = new double[6][s.imageBytes()];
        int[] counts = s.countsPerClass();
        for (int i = 0; i < s.count(); i++) {
            for (int k = 0; k < s.imageBytes(); k++) {
                mean[s.labels()[i]][k] += (s.pixels()[i * s.imageBytes() + k] & 0xff) / (double) counts[s.labels()[i]];
            }
        }
        for (int a = 0; a < 6; a++) {
            for (int b = a + 1; b < 6; b++) {
                double d = 0;
                for (int k = 0; k < s.imageBytes(); k++) {
                    d += Math.abs(mean[a][k] - mean[b][k]);
                }
                assertThat(d / s.imageBytes()).as("classes %d vs %d", a, b).isGreaterThan(3.0);
            }
        }
    }
}
