package lab.d2c.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir
    Path dir;

    @Test
    void readsIdxFilesWrittenHere() throws IOException {
        byte[] pixels = new byte[3 * 28 * 28];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) i;
        }
        writeIdx(dir.resolve("t10k-images-idx3-ubyte.gz"), 0x803, new int[] {3, 28, 28}, pixels);
        writeIdx(dir.resolve("t10k-labels-idx1-ubyte.gz"), 0x801, new int[] {3}, new byte[] {9, 0, 4});
        ImageSet s = FashionMnist.load(dir, FashionMnist.Split.TEST);
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.labels()).containsExactly(9, 0, 4);
        assertThat(s.pixels()).isEqualTo(pixels);
    }

    @Test
    void missingFilesSayHowToInstall() {
        assertThatThrownBy(() -> FashionMnist.load(dir, FashionMnist.Split.TRAIN))
                .isInstanceOf(DatasetMissingException.class)
                .hasMessageContaining("apt-get install dataset-fashion-mnist");
    }

    @Test
    void debianPackageWhenInstalled() throws IOException {
        RequireDataset.orSkip();
        ImageSet test = FashionMnist.load(FashionMnist.DEBIAN_DIR, FashionMnist.Split.TEST);
        assertThat(test.count()).isEqualTo(10_000);
        assertThat(test.countsPerClass()).containsOnly(1000);
    }

    private static void writeIdx(Path p, int magic, int[] dims, byte[] data) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(Files.newOutputStream(p)))) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }
}
