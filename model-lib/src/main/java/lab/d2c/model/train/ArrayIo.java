package lab.d2c.model.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Length-prefixed NDArray encoding (DJL's own format, exact for every data type). */
final class ArrayIo {

    private ArrayIo() {
    }

    static void write(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static NDArray read(DataInputStream in, NDManager manager) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative array length " + length);
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new IOException("array declares " + length + " bytes, only " + bytes.length + " present");
        }
        return manager.decode(bytes);
    }
}
