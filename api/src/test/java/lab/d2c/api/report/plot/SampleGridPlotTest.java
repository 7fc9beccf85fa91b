package lab.d2c.api.report.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Point;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The grid puts class c's i-th sample (in the sampler's order) in column c, row i: synthetic samples
 * whose every pixel encodes (c, i) are read back from the decoded PNG at each cell.
 */
class SampleGridPlotTest {

    static final int H = 4;
    static final int W = 3;

    /** An .npy file as NumPy writes it (format 1.0, header padded to 64 bytes). */
    static byte[] npy(String dtype, String shape, byte[] payload) throws IOException {
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + shape + "), }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] text = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) text.length, (byte) (text.length >> 8)});
        out.write(text);
        out.write(payload);
        return out.toByteArray();
    }

    static int value(int c, int i) {
        return 20 * c + 2 * i + 1;
    }

    /**
     * 10 classes interleaved (sample j has label j % 10, j % 10 == 9 only every other round), 12 rounds:
     * classes 0..8 have 12 samples (the grid keeps 10), class 9 only 6.
     */
    static byte[][] arrays() throws IOException {
        java.util.List<Integer> labels = new java.util.ArrayList<>();
        java.util.List<Integer> values = new java.util.ArrayList<>();
        int[] seen = new int[10];
        for (int round = 0; round < 12; round++) {
            for (int c = 0; c < 10; c++) {
                if (c == 9 && round % 2 == 1) {
                    continue;
                }
                labels.add(c);
                values.add(value(c, seen[c]++));
            }
        }
        int n = labels.size();
        ByteBuffer l = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        labels.forEach(l::putInt);
        byte[] pixels = new byte[n * H * W];
        for (int j = 0; j < n; j++) {
            java.util.Arrays.fill(pixels, j * H * W, (j + 1) * H * W, (byte) (int) values.get(j));
        }
        return new byte[][] {npy("|u1", n + ", 1, " + H + ", " + W, pixels), npy("<i4", n + ",", l.array())};
    }

    @Test
    void sampleIOfClassCIsInColumnCRowI() throws Exception {
        byte[][] a = arrays();
        int[] labels = NpyArrays.readLabels(new ByteArrayInputStream(a[1]));
        SampleGridPlot.Grid g = NpyArrays.select(new ByteArrayInputStream(a[0]), labels, 10, SampleGridPlot.PER_CLASS);
        assertThat(g.byClass()).hasSize(10);
        assertThat(g.byClass().get(0)).hasSize(10);
        assertThat(g.byClass().get(9)).hasSize(6);
        assertThat(g.fewest()).isEqualTo(6);
        assertThat(PlotService.subtitle(g, "sample", labels.length)).isEqualTo("10 classes x 10 samples from the sample node (114 written)");
        assertThat(PlotService.shortfall(g)).isEqualTo("The sampler wrote as few as 6 per class (grey: no sample)");

        BufferedImage img = PlotPngTest.decode(SampleGridPlot.render(g, "mar (seed 0)",
                PlotService.subtitle(g, "sample", labels.length), PlotService.shortfall(g)));
        assertThat(img.getWidth()).isEqualTo(SampleGridPlot.width(g));
        assertThat(img.getHeight()).isEqualTo(SampleGridPlot.height(g));
        int k = SampleGridPlot.scale(g);
        assertThat(k).isEqualTo(16);
        for (int c = 0; c < 10; c++) {
            for (int i = 0; i < SampleGridPlot.PER_CLASS; i++) {
                Point o = SampleGridPlot.cellOrigin(g, c, i);
                int inside = img.getRGB(o.x + W * k - 1, o.y + H * k - 1) & 0xFFFFFF;
                int first = img.getRGB(o.x, o.y) & 0xFFFFFF;
                if (c == 9 && i >= 6) {
                    assertThat(first).as("empty cell %d,%d", c, i).isEqualTo(0xD0D0D0);
                    continue;
                }
                int v = value(c, i);
                assertThat(first).as("cell class %d sample %d", c, i).isEqualTo(v << 16 | v << 8 | v);
                assertThat(inside).as("cell class %d sample %d, last pixel", c, i).isEqualTo(v << 16 | v << 8 | v);
            }
        }
    }

    @Test
    void rgbChannelsAreKeptApart() throws Exception {
        byte[] chw = new byte[3 * H * W];
        java.util.Arrays.fill(chw, 0, H * W, (byte) 200);
        java.util.Arrays.fill(chw, H * W, 2 * H * W, (byte) 100);
        java.util.Arrays.fill(chw, 2 * H * W, 3 * H * W, (byte) 10);
        SampleGridPlot.Grid g = NpyArrays.select(new ByteArrayInputStream(npy("|u1", "1, 3, " + H + ", " + W, chw)),
                new int[] {0}, 1, SampleGridPlot.PER_CLASS);
        BufferedImage img = SampleGridPlot.compose(g, "t", "s", PlotService.shortfall(g));
        assertThat(PlotService.shortfall(g)).isEqualTo("The sampler wrote only 1 class, as few as 1 per class (grey: no sample)");
        Point o = SampleGridPlot.cellOrigin(g, 0, 0);
        assertThat(img.getRGB(o.x + 1, o.y + 1) & 0xFFFFFF).isEqualTo(200 << 16 | 100 << 8 | 10);
    }

    @Test
    void mismatchedLabelsAndWrongTypesAreRefused() throws Exception {
        byte[][] a = arrays();
        assertThatThrownBy(() -> NpyArrays.select(new ByteArrayInputStream(a[0]), new int[] {0, 1}, 10, 10))
                .hasMessageContaining("labels");
        assertThatThrownBy(() -> NpyArrays.readLabels(new ByteArrayInputStream(a[0]))).hasMessageContaining("int32");
    }
}
