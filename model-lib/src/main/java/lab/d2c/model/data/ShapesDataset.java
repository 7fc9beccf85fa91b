package lab.d2c.model.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Procedural class-conditional images for tests: each class is a shape (disc, square,
 * triangle, ring, cross, bar, diamond, ...; past the named ones, polygons with more sides)
 * at a random position, size and grey level on a dark background. Image i depends only on
 * (seed, i), so any prefix of a larger set is the smaller set.
 */
public final class ShapesDataset {

    private static final String[] NAMES = {"disc", "square", "triangle", "ring", "cross", "bar", "diamond", "frame"};

    private ShapesDataset() {
    }

    public static ImageSet generate(int count, int size, int channels, int numClasses, long seed) {
        if (count < 0 || size < 4 || (channels != 1 && channels != 3) || numClasses < 1) {
            throw new IllegalArgumentException("shapes: bad arguments count=" + count + " size=" + size
                    + " channels=" + channels + " classes=" + numClasses);
        }
        int plane = size * size;
        byte[] pixels = new byte[count * channels * plane];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            int label = rng.nextInt(numClasses);
            labels[i] = label;
            double cx = size * (0.3 + 0.4 * rng.nextDouble());
            double cy = size * (0.3 + 0.4 * rng.nextDouble());
            double r = size * (0.15 + 0.15 * rng.nextDouble());
            double[] colour = new double[channels];
            for (int c = 0; c < channels; c++) {
                colour[c] = 140 + 115 * rng.nextDouble();
            }
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    if (inside(label, (x + 0.5 - cx) / r, (y + 0.5 - cy) / r)) {
                        for (int c = 0; c < channels; c++) {
                            pixels[i * channels * plane + c * plane + y * size + x] = (byte) Math.round(colour[c]);
                        }
                    }
                }
            }
        }
        List<String> names = new ArrayList<>();
        for (int k = 0; k < numClasses; k++) {
            names.add(k < NAMES.length ? NAMES[k] : "polygon-" + (k - NAMES.length + 5));
        }
        return new ImageSet(count, channels, size, size, pixels, labels, names);
    }

    /** Whether the unit-scaled point (u, v) lies in the shape of a class. */
    static boolean inside(int label, double u, double v) {
        double au = Math.abs(u);
        double av = Math.abs(v);
        double d = Math.hypot(u, v);
        return switch (label) {
            case 0 -> d <= 1;
            case 1 -> au <= 0.8 && av <= 0.8;
            case 2 -> v <= 0.8 && v >= -1 && au <= (v + 1) / 1.8 * 0.9;
            case 3 -> d <= 1 && d >= 0.6;
            case 4 -> (au <= 0.25 && av <= 1) || (av <= 0.25 && au <= 1);
            case 5 -> au <= 1 && av <= 0.3;
            case 6 -> au + av <= 1;
            case 7 -> au <= 0.9 && av <= 0.9 && (au >= 0.6 || av >= 0.6);
            default -> insidePolygon(label - NAMES.length + 5, u, v);
        };
    }

    private static boolean insidePolygon(int sides, double u, double v) {
        double angle = Math.atan2(v, u);
        double sector = 2 * Math.PI / sides;
        double local = angle - sector * Math.floor(angle / sector) - sector / 2;
        return Math.hypot(u, v) * Math.cos(local) <= Math.cos(sector / 2);
    }
}
