package lab.d2c.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A safetensors file read whole into memory, checked as the format's reference reader checks it: the
 * header fits the file, every tensor's offsets match its dtype and shape, and the tensors cover the
 * data without gaps or overlaps. The exports are small enough (tiny to b presets) to read at once.
 */
public final class SafetensorsFile {

    /** One tensor's header entry; {@code begin} and {@code end} are offsets into the data section. */
    public record Entry(String name, Safetensors.Dtype dtype, long[] shape, long begin, long end) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long headerLength;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;
    private final ByteBuffer data;

    private SafetensorsFile(long headerLength, Map<String, Entry> entries, Map<String, String> metadata,
            ByteBuffer data) {
        this.headerLength = headerLength;
        this.entries = entries;
        this.metadata = metadata;
        this.data = data;
    }

    public static SafetensorsFile parse(byte[] bytes) throws IOException {
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new IOException("safetensors: " + bytes.length + " bytes, shorter than the length prefix");
        }
        long n = all.getLong(0);
        if (n < 2 || n > bytes.length - 8L) {
            throw new IOException("safetensors: header length " + n + " does not fit a file of " + bytes.length);
        }
        JsonNode header = JSON.readTree(Arrays.copyOfRange(bytes, 8, (int) (8 + n)));
        Map<String, Entry> entries = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals(Safetensors.METADATA)) {
                f.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            JsonNode e = f.getValue();
            Safetensors.Dtype dtype = Safetensors.Dtype.valueOf(e.path("dtype").asText());
            long[] shape = new long[e.path("shape").size()];
            long size = dtype.bytes();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = e.path("shape").get(i).asLong();
                size *= shape[i];
            }
            long begin = e.path("data_offsets").path(0).asLong(-1);
            long end = e.path("data_offsets").path(1).asLong(-1);
            if (begin < 0 || end - begin != size || end > bytes.length - 8 - n) {
                throw new IOException("safetensors: tensor '" + f.getKey() + "' has offsets [" + begin + ", " + end
                        + "] for " + size + " bytes in a data section of " + (bytes.length - 8 - n));
            }
            entries.put(f.getKey(), new Entry(f.getKey(), dtype, shape, begin, end));
        }
        // the reference reader's check: sorted by offset, each tensor starts where the previous ended
        long expected = 0;
        for (Entry e : entries.values().stream()
                .sorted(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end)).toList()) {
            if (e.begin() != expected) {
                throw new IOException("safetensors: the tensors leave a gap or overlap at data offset " + expected);
            }
            expected = e.end();
        }
        if (expected != bytes.length - 8 - n) {
            throw new IOException("safetensors: " + (bytes.length - 8 - n - expected) + " data bytes belong to no tensor");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) (8 + n), (int) (bytes.length - 8 - n)).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        return new SafetensorsFile(n, entries, metadata, data);
    }

    /** N, the header's length in bytes (padding included). */
    public long headerLength() {
        return headerLength;
    }

    /** Every tensor's entry, in header order. */
    public Map<String, Entry> entries() {
        return entries;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor '" + name + "'; there are " + entries.keySet());
        }
        return e;
    }

    public float[] floats(String name) {
        ByteBuffer b = bytes(name, Safetensors.Dtype.F32);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    public long[] longs(String name) {
        ByteBuffer b = bytes(name, Safetensors.Dtype.I64);
        long[] out = new long[b.remaining() / 8];
        b.asLongBuffer().get(out);
        return out;
    }

    private ByteBuffer bytes(String name, Safetensors.Dtype want) {
        Entry e = entry(name);
        if (e.dtype() != want) {
            throw new IllegalArgumentException("tensor '" + name + "' is " + e.dtype() + ", not " + want);
        }
        return data.duplicate().position((int) e.begin()).limit((int) e.end()).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
