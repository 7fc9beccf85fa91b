package lab.d2c.model.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * Generated images as bytes people can look at: model outputs in [-1, 1] to uint8 pixels (the
 * inverse of {@code x / 127.5 - 1}, clipped), and a PNG contact sheet of many images.
 */
public final class ImageGrid {

    private ImageGrid() {
    }

    /** Pixels round((x + 1) x 127.5) clipped to [0, 255], in the same layout as {@code values}. */
    public static byte[] toPixels(float[] values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            double p = Math.rint((values[i] + 1.0) * 127.5);
            out[i] = (byte) (int) Math.max(0, Math.min(255, p));
        }
        return out;
    }

    /**
     * A PNG of n images [n, channels, size, size] (uint8, channel-major as {@link ImageSet}) laid out
     * in rows of {@code columns}, with a 1-pixel gap.
     */
    public static byte[] png(byte[] pixels, int n, int channels, int size, int columns) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (pixels.length != (long) n * channels * size * size || n < 1 || columns < 1) {
            throw new IllegalArgumentException("expected " + n + " images of " + channels + "x" + size + "x" + size
                    + " (" + (long) n * channels * size * size + " bytes), got " + pixels.length + " bytes");
        }
        int cols = Math.min(columns, n);
        int rows = (n + cols - 1) / cols;
        int cell = size + 1;
        BufferedImage sheet = new BufferedImage(cols * cell + 1, rows * cell + 1, BufferedImage.TYPE_INT_RGB);
        int plane = size * size;
        for (int i = 0; i < n; i++) {
            int x0 = 1 + (i % cols) * cell;
            int y0 = 1 + (i / cols) * cell;
            int base = i * channels * plane;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int at = y * size + x;
                    int r = pixels[base + at] & 0xFF;
                    int g = channels == 3 ? pixels[base + plane + at] & 0xFF : r;
                    int b = channels == 3 ? pixels[base + 2 * plane + at] & 0xFF : r;
                    sheet.setRGB(x0 + x, y0 + y, r << 16 | g << 8 | b);
                }
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(sheet, "png", out)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
