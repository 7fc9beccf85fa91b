package lab.d2c.model.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageResizeTest {

    @Test
    void constantImageStaysConstantUpAndDown() {
        byte[] px = new byte[28 * 28];
        java.util.Arrays.fill(px, (byte) 200);
        ImageSet in = new ImageSet(1, 1, 28, 28, px, new int[] {0}, List.of("a"));
        for (int size : new int[] {32, 16, 28}) {
            ImageSet out = ImageResize.to(in, size, 1);
            assertThat(out.height()).isEqualTo(size);
            for (byte b : out.pixels()) {
                assertThat(b & 0xff).isEqualTo(200);
            }
        }
    }

    @Test
    void halvingAveragesBlocksAndGreyBecomesRgb() {
        byte[] px = {0, (byte) 100, (byte) 200, (byte) 100};
        ImageSet in = new ImageSet(1, 1, 2, 2, px, new int[] {0}, List.of("a"));
        ImageSet out = ImageResize.to(in, 1, 3);
        assertThat(out.pixels()).containsExactly((byte) 100, (byte) 100, (byte) 100);
    }
}
