package lab.d2c.api.report.plot;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the two .npy arrays a sampling node writes, {@code labels.npy} (int32 [n]) and {@code samples.npy}
 * (uint8 [n, C, H, W]), NumPy format 1.0 as the workers write it. The api module may not use the
 * model library's reader (its pom bans model-lib), and needs only these two, reading samples as a stream
 * and keeping only the images a grid shows.
 */
final class NpyArrays {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** An array's dtype and shape; the stream it came from is positioned at its data. */
    record Header(String dtype, int[] shape) {
    }

    private NpyArrays() {
    }

    static Header header(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        byte[] magic = d.readNBytes(8);
        if (magic.length < 8 || !Arrays.equals(Arrays.copyOf(magic, 6), MAGIC) || magic[6] != 1) {
            throw new IOException("not a version 1 .npy file");
        }
        int length = d.readUnsignedByte() | d.readUnsignedByte() << 8;
        String text = new String(d.readNBytes(length), StandardCharsets.US_ASCII);
        Matcher dt = DESCR.matcher(text);
        Matcher sh = SHAPE.matcher(text);
        if (!dt.find() || !sh.find() || text.contains("'fortran_order': True")) {
            throw new IOException("unsupported .npy header: " + text.trim());
        }
        int[] shape = Arrays.stream(sh.group(1).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        return new Header(dt.group(1), shape);
    }

    /** int32 [n] labels. */
    static int[] readLabels(InputStream in) throws IOException {
        Header h = header(in);
        if (!h.dtype().equals("<i4") || h.shape().length != 1) {
            throw new IOException("labels: expected int32 [n], got " + h.dtype() + " " + Arrays.toString(h.shape()));
        }
        byte[] data = in.readNBytes(h.shape()[0] * 4);
        if (data.length != h.shape()[0] * 4) {
            throw new IOException("labels: truncated");
        }
        int[] out = new int[h.shape()[0]];
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    /**
     * The first {@code perClass} images of each class {@code 0..classes-1}, in sample order, read from
     * uint8 [n, C, H, W] samples: the stream is read only as far as the last image kept.
     */
    static SampleGridPlot.Grid select(InputStream samples, int[] labels, int classes, int perClass) throws IOException {
        Header h = header(samples);
        int[] s = h.shape();
        if (!(h.dtype().equals("|u1") || h.dtype().equals("<u1")) || s.length != 4) {
            throw new IOException("samples: expected uint8 [n, C, H, W], got " + h.dtype() + " " + Arrays.toString(s));
        }
        if (s[0] != labels.length) {
            throw new IOException("samples: " + s[0] + " images but " + labels.length + " labels");
        }
        int size = s[1] * s[2] * s[3];
        List<List<byte[]>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            byClass.add(new ArrayList<>());
        }
        int wanted = classes * perClass;
        int kept = 0;
        for (int i = 0; i < s[0] && kept < wanted; i++) {
            int c = labels[i];
            if (c >= 0 && c < classes && byClass.get(c).size() < perClass) {
                byte[] image = samples.readNBytes(size);
                if (image.length != size) {
                    throw new IOException("samples: truncated at image " + i);
                }
                byClass.get(c).add(image);
                kept++;
            } else {
                samples.skipNBytes(size);
            }
        }
        return new SampleGridPlot.Grid(s[1], s[2], s[3], byClass);
    }
}
