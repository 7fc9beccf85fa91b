package lab.d2c.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageGridTest {

    @Test
    void pixelsInvertTheModelNormalizationAndClip() {
        assertThat(ImageGrid.toPixels(new float[] {-1f, 1f, 0f, -3f, 2f, (200 / 127.5f) - 1f}))
                .containsExactly(0, (byte) 255, (byte) 128, 0, (byte) 255, (byte) 200);
    }

    @Test
    void aPngSheetPlacesEveryImageInItsCell() throws IOException {
        int n = 5;
        int size = 3;
        byte[] pixels = new byte[n * size * size];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(pixels, i * 9, (i + 1) * 9, (byte) (40 * i + 10));
        }
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(ImageGrid.png(pixels, n, 1, size, 2)));
        assertThat(png.getWidth()).isEqualTo(2 * 4 + 1);
        assertThat(png.getHeight()).isEqualTo(3 * 4 + 1);
        for (int i = 0; i < n; i++) {
            int x = 1 + (i % 2) * 4 + 1;
            int y = 1 + (i / 2) * 4 + 1;
            int grey = 40 * i + 10;
            assertThat(png.getRGB(x, y) & 0xFFFFFF).as("image %d", i).isEqualTo(grey << 16 | grey << 8 | grey);
        }
        assertThatThrownBy(() -> ImageGrid.png(pixels, n, 1, 4, 2)).hasMessageContaining("expected 5 images");
    }
}
