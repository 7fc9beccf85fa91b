package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.extension.ExtendWith(OneThread.class)
class CheckpointTest {

    private static byte[] bytes;

    @BeforeAll
    static void writeOne() throws Exception {
        bytes = Runs.run(Runs.config(5, 2)).sink().saved.get(5L);
    }

    private static Checkpoint read(byte[] b) throws Exception {
        return Checkpoint.read(new ByteArrayInputStream(b));
    }

    @Test
    void readsBackWhatTheLoopWrote() throws Exception {
        Checkpoint c = read(bytes);
        assertThat(c.header().step()).isEqualTo(5);
        assertThat(c.header().seed()).isEqualTo(2);
        assertThat(c.header().modelName()).isEqualTo(TinyMlp.class.getName());
        assertThat(c.header().configFingerprint()).isEqualTo(Runs.config(5, 2).fingerprint());
        assertThat(c.sectionNames()).containsExactly("header", "model", "ema", "optimizer", "state");
        assertThat(c.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void aCheckpointTruncatedByOneByteIsDetected() {
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 1);
        assertThatThrownBy(() -> read(truncated)).isInstanceOf(CheckpointCorruptException.class)
                .hasMessageContaining("truncated").hasMessageContaining("sha256");
    }

    @Test
    void truncationAnywhereIsDetected() {
        for (int length : new int[] {0, 5, 12, 20, bytes.length / 2, bytes.length - 33, bytes.length - 32}) {
            byte[] truncated = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> read(truncated)).as("length %d", length)
                    .isInstanceOf(CheckpointCorruptException.class);
        }
    }

    @Test
    void aFlippedByteIsDetectedWherever() {
        for (int at : new int[] {3, 10, 16, 40, bytes.length / 2, bytes.length - 40, bytes.length - 1}) {
            byte[] flipped = bytes.clone();
            flipped[at] ^= 0x10;
            assertThatThrownBy(() -> read(flipped)).as("byte %d", at).isInstanceOf(CheckpointCorruptException.class);
        }
        byte[] middle = bytes.clone();
        middle[bytes.length / 2] ^= 1;
        assertThatThrownBy(() -> read(middle)).hasMessageContaining("corrupted").hasMessageContaining("sha256");
    }

    @Test
    void trailingBytesAndForeignStreamsAreRefused() {
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> read(longer)).isInstanceOf(CheckpointCorruptException.class)
                .hasMessageContaining("follow");
        assertThatThrownBy(() -> read("PK\u0003\u0004 a zip file".getBytes()))
                .isInstanceOf(CheckpointCorruptException.class).hasMessageContaining("not a D2C checkpoint");
    }

    @Test
    void aMissingSectionIsNamed() throws Exception {
        Checkpoint partial = new Checkpoint(read(bytes).header(), Map.of("model", new byte[0]));
        assertThatThrownBy(() -> read(partial.toByteArray())).isInstanceOf(CheckpointCorruptException.class)
                .hasMessageContaining("'ema'");
    }
}
