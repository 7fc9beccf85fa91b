package lab.d2c.model.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Fashion-MNIST from its IDX files (gzipped, as Debian's {@code dataset-fashion-mnist}
 * package installs them in {@value #DEBIAN_DIR}).
 */
public final class FashionMnist {

    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    public static final List<String> CLASS_NAMES = List.of("t-shirt/top", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle boot");

    /** The two splits and their file name prefixes. */
    public enum Split {
        TRAIN("train"), TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    private FashionMnist() {
    }

    /**
     * Loads a split: 28x28 grey images.
     *
     * @throws DatasetMissingException when the files are absent, saying how to install them
     */
    public static ImageSet load(Path dir, Split split) throws IOException {
        Path images = dir.resolve(split.prefix + "-images-idx3-ubyte.gz");
        Path labels = dir.resolve(split.prefix + "-labels-idx1-ubyte.gz");
        for (Path p : List.of(images, labels)) {
            if (!Files.isRegularFile(p)) {
                throw new DatasetMissingException("Fashion-MNIST file " + p + " not found. Install Debian's package "
                        + "(apt-get install dataset-fashion-mnist) or set data.path to a directory holding "
                        + "the four *-ubyte.gz IDX files.");
            }
        }
        int[] imageDims;
        byte[] pixels;
        try (DataInputStream in = open(images)) {
            imageDims = header(in, 0x00000803, 3, images);
            pixels = in.readNBytes(imageDims[0] * imageDims[1] * imageDims[2]);
        }
        byte[] rawLabels;
        int[] labelDims;
        try (DataInputStream in = open(labels)) {
            labelDims = header(in, 0x00000801, 1, labels);
            rawLabels = in.readNBytes(labelDims[0]);
        }
        if (labelDims[0] != imageDims[0]) {
            throw new IOException(images + " has " + imageDims[0] + " images but " + labels + " has " + labelDims[0] + " labels");
        }
        if (pixels.length != imageDims[0] * imageDims[1] * imageDims[2] || rawLabels.length != labelDims[0]) {
            throw new IOException("truncated IDX file in " + dir);
        }
        int[] l = new int[rawLabels.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = rawLabels[i] & 0xff;
        }
        return new ImageSet(imageDims[0], 1, imageDims[1], imageDims[2], pixels, l, CLASS_NAMES);
    }

    private static DataInputStream open(Path p) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw), 1 << 16));
    }

    private static int[] header(DataInputStream in, int magic, int dims, Path p) throws IOException {
        int m = in.readInt();
        if (m != magic) {
            throw new IOException(p + ": not an IDX file of " + dims + " dimension(s) (magic " + Integer.toHexString(m) + ")");
        }
        int[] d = new int[dims];
        for (int i = 0; i < dims; i++) {
            d[i] = in.readInt();
        }
        return d;
    }
}
