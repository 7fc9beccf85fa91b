package lab.d2c.model.train;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One checkpoint in memory: a header and named, opaque sections. The stream format:
 *
 * <pre>
 * magic "D2CCKPT\n" | int version (1) | int section count
 * per section: UTF name | long length | bytes
 * 32 bytes: sha256 of everything before them
 * </pre>
 *
 * Sections, in order: {@code header}, {@code model} ({@code Block.saveParameters}), {@code ema},
 * {@code optimizer}, {@code state} ({@link TrainableModel#saveState}). {@link #read} checks every
 * length and the trailing hash before anything is parsed, so a truncated or altered stream fails
 * with {@link CheckpointCorruptException} and never half-loads into a model.
 */
public final class Checkpoint implements CheckpointWriter {

    public static final String HEADER = "header";
    public static final String MODEL = "model";
    public static final String EMA = "ema";
    public static final String OPTIMIZER = "optimizer";
    public static final String STATE = "state";
    static final List<String> REQUIRED = List.of(HEADER, MODEL, EMA, OPTIMIZER, STATE);

    private static final byte[] MAGIC = "D2CCKPT\n".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int HEADER_VERSION = 1;
    private static final int MAX_SECTIONS = 64;
    private static final int SHA256_BYTES = 32;
    private static final int CHUNK = 1 << 20;

    private final CheckpointHeader header;
    private final Map<String, byte[]> sections;

    /** @param sections the non-header sections, by name (the header section is made from {@code header}) */
    public Checkpoint(CheckpointHeader header, Map<String, byte[]> sections) {
        this.header = header;
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put(HEADER, encodeHeader(header));
        for (Map.Entry<String, byte[]> e : sections.entrySet()) {
            if (!e.getKey().equals(HEADER)) {
                all.put(e.getKey(), e.getValue());
            }
        }
        this.sections = Collections.unmodifiableMap(all);
    }

    public CheckpointHeader header() {
        return header;
    }

    /** Section names in stream order. */
    public List<String> sectionNames() {
        return List.copyOf(sections.keySet());
    }

    /** A section's bytes as a stream. */
    public DataInputStream section(String name) throws CheckpointCorruptException {
        byte[] bytes = sections.get(name);
        if (bytes == null) {
            throw new CheckpointCorruptException("checkpoint has no '" + name + "' section (has " + sections.keySet()
                    + ")");
        }
        return new DataInputStream(new ByteArrayInputStream(bytes));
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        MessageDigest sha = sha256();
        DataOutputStream data = new DataOutputStream(new DigestOutputStream(nonClosing(out), sha));
        data.write(MAGIC);
        data.writeInt(VERSION);
        data.writeInt(sections.size());
        for (Map.Entry<String, byte[]> e : sections.entrySet()) {
            data.writeUTF(e.getKey());
            data.writeLong(e.getValue().length);
            data.write(e.getValue());
        }
        data.flush();
        out.write(sha.digest());
        out.flush();
    }

    /** The whole stream as bytes (tests, small models). */
    public byte[] toByteArray() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    /**
     * Reads and verifies a whole checkpoint stream (to its end).
     *
     * @throws CheckpointCorruptException when it is truncated, altered, or not a checkpoint
     * @throws IOException                when {@code in} itself fails
     */
    public static Checkpoint read(InputStream in) throws IOException {
        MessageDigest sha = sha256();
        InputStream buffered = new BufferedInputStream(in, 1 << 16);
        DigestInputStream digesting = new DigestInputStream(buffered, sha);
        DataInputStream data = new DataInputStream(digesting);
        Map<String, byte[]> sections = new LinkedHashMap<>();
        String where = "magic";
        try {
            byte[] magic = data.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CheckpointCorruptException("not a D2C checkpoint: the stream does not start with the magic "
                        + "'D2CCKPT' (" + magic.length + " bytes read)");
            }
            where = "version";
            int version = data.readInt();
            if (version != VERSION) {
                throw new CheckpointCorruptException("unsupported checkpoint version " + version + " (this code reads "
                        + VERSION + ")");
            }
            where = "section count";
            int count = data.readInt();
            if (count < 1 || count > MAX_SECTIONS) {
                throw new CheckpointCorruptException("corrupted checkpoint: section count " + count);
            }
            for (int i = 0; i < count; i++) {
                where = "name of section " + i;
                String name = data.readUTF();
                where = "length of section '" + name + "'";
                long length = data.readLong();
                if (length < 0 || length > Integer.MAX_VALUE - 64) {
                    throw new CheckpointCorruptException("corrupted checkpoint: section '" + name + "' declares "
                            + length + " bytes");
                }
                byte[] bytes = readUpTo(data, length);
                if (bytes.length != length) {
                    throw new CheckpointCorruptException("truncated checkpoint: section '" + name + "' declares "
                            + length + " bytes, the stream ended after " + bytes.length);
                }
                sections.put(name, bytes);
            }
        } catch (EOFException e) {
            throw new CheckpointCorruptException("truncated checkpoint: the stream ended in the " + where, e);
        } catch (UTFDataFormatException e) {
            throw new CheckpointCorruptException("corrupted checkpoint: unreadable " + where, e);
        }
        digesting.on(false);
        byte[] stored = data.readNBytes(SHA256_BYTES);
        if (stored.length != SHA256_BYTES) {
            throw new CheckpointCorruptException("truncated checkpoint: the trailing sha256 has " + stored.length
                    + " of " + SHA256_BYTES + " bytes");
        }
        byte[] computed = sha.digest();
        if (!MessageDigest.isEqual(stored, computed)) {
            throw new CheckpointCorruptException("corrupted checkpoint: sha256 of the content is "
                    + HexFormat.of().formatHex(computed) + ", the stream says " + HexFormat.of().formatHex(stored));
        }
        if (data.read() != -1) {
            throw new CheckpointCorruptException("corrupted checkpoint: bytes follow the trailing sha256");
        }
        for (String required : REQUIRED) {
            if (!sections.containsKey(required)) {
                throw new CheckpointCorruptException("checkpoint has no '" + required + "' section (has "
                        + sections.keySet() + ")");
            }
        }
        return new Checkpoint(decodeHeader(sections.get(HEADER)), sections);
    }

    private static byte[] readUpTo(InputStream in, long length) throws IOException {
        // Chunked, so a corrupted length cannot make us allocate gigabytes up front.
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(length, CHUNK));
        byte[] buffer = new byte[(int) Math.min(Math.max(length, 1), CHUNK)];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            left -= n;
        }
        return out.toByteArray();
    }

    private static byte[] encodeHeader(CheckpointHeader h) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(HEADER_VERSION);
            out.writeLong(h.step());
            out.writeLong(h.cursor().epoch());
            out.writeInt(h.cursor().position());
            out.writeLong(h.seed());
            out.writeUTF(h.configFingerprint());
            out.writeUTF(h.modelName());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static CheckpointHeader decodeHeader(byte[] bytes) throws CheckpointCorruptException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int version = in.readInt();
            if (version != HEADER_VERSION) {
                throw new CheckpointCorruptException("unsupported checkpoint header version " + version);
            }
            long step = in.readLong();
            DataCursor cursor = new DataCursor(in.readLong(), in.readInt());
            long seed = in.readLong();
            return new CheckpointHeader(step, cursor, seed, in.readUTF(), in.readUTF());
        } catch (IOException | IllegalArgumentException e) {
            throw new CheckpointCorruptException("corrupted checkpoint header: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static OutputStream nonClosing(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }
}
