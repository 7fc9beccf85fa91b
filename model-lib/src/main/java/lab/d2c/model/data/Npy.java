package lab.d2c.model.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's .npy format (version 1.0), for uint8 and little-endian int32/float32 arrays, so
 * shards and exported features open with {@code numpy.load}.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** A typed array and its shape. {@code data} is the raw little-endian payload. */
    public record Array(String dtype, int[] shape, byte[] data) {

        public long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        public int[] asInts() {
            int[] out = new int[(int) elements()];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
            return out;
        }

        public float[] asFloats() {
            float[] out = new float[(int) elements()];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }

        public double[] asDoubles() {
            double[] out = new double[(int) elements()];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
            return out;
        }
    }

    private Npy() {
    }

    public static void writeUint8(OutputStream out, byte[] data, int... shape) throws IOException {
        write(out, "|u1", shape, data);
    }

    public static void writeInt32(OutputStream out, int[] data, int... shape) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(data);
        write(out, "<i4", shape, b.array());
    }

    public static void writeFloat32(OutputStream out, float[] data, int... shape) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(data);
        write(out, "<f4", shape, b.array());
    }

    public static void writeFloat64(OutputStream out, double[] data, int... shape) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(data);
        write(out, "<f8", shape, b.array());
    }

    /** Size in bytes of the file {@link #write} produces. */
    public static long fileSize(String dtype, int[] shape, long payloadBytes) {
        return header(dtype, shape).length + payloadBytes;
    }

    public static void write(OutputStream out, String dtype, int[] shape, byte[] payload) throws IOException {
        out.write(header(dtype, shape));
        out.write(payload);
    }

    private static byte[] header(String dtype, int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? dims.toString().trim() : dims.substring(0, Math.max(0, dims.length() - 2));
        String dict = "{'descr': '" + dtype + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String text = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 2 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putShort((short) text.length()).put(text.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    public static Array read(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] magic = d.readNBytes(MAGIC.length);
        if (magic.length < 6 || !Arrays.equals(Arrays.copyOf(magic, 6), Arrays.copyOf(MAGIC, 6))) {
            throw new IOException("not a .npy file");
        }
        int lo = d.readUnsignedByte();
        int hi = d.readUnsignedByte();
        String header = new String(d.readNBytes(lo | hi << 8), StandardCharsets.US_ASCII);
        Matcher dt = DESCR.matcher(header);
        Matcher sh = SHAPE.matcher(header);
        if (!dt.find() || !sh.find() || header.contains("'fortran_order': True")) {
            throw new IOException("unsupported .npy header: " + header.trim());
        }
        int[] shape = Arrays.stream(sh.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        String dtype = dt.group(1);
        int width = switch (dtype) {
            case "|u1", "<u1" -> 1;
            case "<i4", "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new IOException("unsupported dtype " + dtype);
        };
        long n = 1;
        for (int s : shape) {
            n *= s;
        }
        byte[] data = d.readNBytes((int) (n * width));
        if (data.length != n * width) {
            throw new IOException(".npy payload truncated: " + data.length + " of " + n * width + " bytes");
        }
        return new Array(dtype, shape, data);
    }
}
