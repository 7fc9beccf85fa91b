package lab.d2c.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class NpyTest {

    @Test
    void roundTripsEachDtypeWithAlignedHeader() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.writeInt32(out, new int[] {1, -2, 3, 4, 5, 6}, 2, 3);
        byte[] file = out.toByteArray();
        int headerLen = (file[8] & 0xff) | (file[9] & 0xff) << 8;
        assertThat((10 + headerLen) % 64).isZero();
        Npy.Array a = Npy.read(new ByteArrayInputStream(file));
        assertThat(a.shape()).containsExactly(2, 3);
        assertThat(a.asInts()).containsExactly(1, -2, 3, 4, 5, 6);
        assertThat(Npy.fileSize("<i4", new int[] {2, 3}, 24)).isEqualTo(file.length);

        out.reset();
        Npy.writeFloat32(out, new float[] {0.5f, -1.25f}, 2);
        assertThat(Npy.read(new ByteArrayInputStream(out.toByteArray())).asFloats()).containsExactly(0.5f, -1.25f);

        out.reset();
        Npy.writeUint8(out, new byte[] {(byte) 255, 0, 7}, 3);
        Npy.Array u = Npy.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(u.dtype()).isEqualTo("|u1");
        assertThat(u.data()).containsExactly((byte) 255, 0, 7);
    }

    @Test
    void truncatedPayloadIsAnError() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.writeInt32(out, new int[] {1, 2, 3}, 3);
        byte[] file = out.toByteArray();
        byte[] cut = java.util.Arrays.copyOf(file, file.length - 2);
        assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(cut))).hasMessageContaining("truncated");
    }
}
