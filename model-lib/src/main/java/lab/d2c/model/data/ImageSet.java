package lab.d2c.model.data;

import java.util.List;

/**
 * Images as unsigned bytes in NCHW order with integer labels. The model-side
 * normalization is {@code x / 127.5 - 1} (pixels in [-1, 1]).
 *
 * @param count      number of images
 * @param channels   1 (grey) or 3 (RGB)
 * @param height     rows
 * @param width      columns
 * @param pixels     count * channels * height * width bytes, NCHW
 * @param labels     count class ids in [0, classNames.size())
 * @param classNames one name per class
 */
public record ImageSet(int count, int channels, int height, int width, byte[] pixels, int[] labels,
        List<String> classNames) {

    public ImageSet {
        long expected = (long) count * channels * height * width;
        if (pixels.length != expected) {
            throw new IllegalArgumentException("pixels has " + pixels.length + " bytes, expected " + expected);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException("labels has " + labels.length + " entries, expected " + count);
        }
        for (int label : labels) {
            if (label < 0 || label >= classNames.size()) {
                throw new IllegalArgumentException("label " + label + " outside [0, " + classNames.size() + ")");
            }
        }
    }

    public int imageBytes() {
        return channels * height * width;
    }

    /** Images [from, to) as a new set. */
    public ImageSet slice(int from, int to) {
        int n = to - from;
        byte[] p = new byte[n * imageBytes()];
        System.arraycopy(pixels, from * imageBytes(), p, 0, p.length);
        int[] l = new int[n];
        System.arraycopy(labels, from, l, 0, n);
        return new ImageSet(n, channels, height, width, p, l, classNames);
    }

    /** Number of images of each class. */
    public int[] countsPerClass() {
        int[] counts = new int[classNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
