package lab.d2c.model.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the safetensors format (huggingface/safetensors): an unsigned 64-bit little-endian header
 * length N, N bytes of JSON {@code {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__":
 * {string: string}}} padded with spaces so the data starts at a multiple of 8 (the format's
 * recommendation, so a reader may map the data without copying), then every tensor's raw little-endian
 * bytes, contiguous and in header order. Tensors stream one at a time: only one is in memory.
 */
public final class Safetensors {

    /** The element types written here, by their safetensors names. */
    public enum Dtype {
        F32(4), F64(8), I32(4), I64(8), U8(1);

        private final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }
    }

    /** Produces a tensor's raw little-endian bytes when the writer reaches it. */
    @FunctionalInterface
    public interface Payload {
        byte[] bytes() throws IOException;
    }

    /** One named tensor; {@code data} must yield exactly shape's product x dtype's width bytes. */
    public record Tensor(String name, Dtype dtype, long[] shape, Payload data) {

        public Tensor {
            if (name == null || name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("tensor name: '" + name + "' is empty or reserved");
            }
            shape = shape.clone();
        }

        /** The payload's size in bytes. */
        public long byteSize() {
            long n = dtype.bytes();
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }

        public static Tensor f32(String name, long[] shape, float[] values) {
            return new Tensor(name, Dtype.F32, shape, () -> {
                ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(values);
                return b.array();
            });
        }

        public static Tensor i64(String name, long[] shape, long[] values) {
            return new Tensor(name, Dtype.I64, shape, () -> {
                ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                b.asLongBuffer().put(values);
                return b.array();
            });
        }
    }

    /** The header's reserved key for the string-to-string metadata. */
    public static final String METADATA = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {
    }

    /** Writes {@code tensors} in order, with {@code metadata} (may be empty), to {@code out} (left open). */
    public static void write(OutputStream out, List<Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        Set<String> names = new HashSet<>();
        long offset = 0;
        for (Tensor t : tensors) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("tensor name '" + t.name() + "' appears twice");
            }
            ObjectNode entry = header.putObject(t.name());
            entry.put("dtype", t.dtype().name());
            ArrayNode shape = entry.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            long end = offset + t.byteSize();
            entry.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        out.write(head.array());
        for (Tensor t : tensors) {
            byte[] data = t.data().bytes();
            if (data.length != t.byteSize()) {
                throw new IllegalStateException("tensor '" + t.name() + "' has " + data.length + " bytes, its "
                        + t.dtype() + " shape " + java.util.Arrays.toString(t.shape()) + " needs " + t.byteSize());
            }
            out.write(data);
        }
    }
}
