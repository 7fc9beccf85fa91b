package lab.d2c.model.data;

import java.io.IOException;
import java.util.SplittableRandom;

/** Loads a split of the configured dataset at the configured resolution. */
public final class Datasets {

    /** Offset between the train and test streams of {@code shapes}: they never share an image. */
    private static final long TEST_STREAM = 0x5DEECE66DL;

    private Datasets() {
    }

    public static ImageSet load(DataConfig cfg, FashionMnist.Split split) throws IOException {
        int wanted = split == FashionMnist.Split.TRAIN ? cfg.trainSize() : cfg.testSize();
        ImageSet raw = switch (cfg.dataset()) {
            case "shapes" -> {
                if (wanted <= 0) {
                    throw new IllegalArgumentException("data." + (split == FashionMnist.Split.TRAIN ? "train" : "test")
                            + "_size: shapes is generated, so its size must be > 0");
                }
                long seed = split == FashionMnist.Split.TRAIN ? cfg.seed() : cfg.seed() ^ TEST_STREAM;
                yield ShapesDataset.generate(wanted, cfg.imageSize(), cfg.channels(), cfg.numClasses(), seed);
            }
            case "fashion-mnist" -> subset(FashionMnist.load(cfg.path() == null ? FashionMnist.DEBIAN_DIR : cfg.path(), split),
                    wanted, cfg.seed());
            default -> throw new IllegalArgumentException("data.dataset: unknown dataset '" + cfg.dataset() + "'");
        };
        return ImageResize.to(raw, cfg.imageSize(), cfg.channels());
    }

    /** A seeded random subset of n images (all when n is 0 or not smaller), in a seeded order. */
    static ImageSet subset(ImageSet all, int n, long seed) {
        if (n <= 0 || n >= all.count()) {
            return all;
        }
        int[] idx = new int[all.count()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int j = i + rng.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int size = all.imageBytes();
        byte[] pixels = new byte[n * size];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(all.pixels(), idx[i] * size, pixels, i * size, size);
            labels[i] = all.labels()[idx[i]];
        }
        return new ImageSet(n, all.channels(), all.height(), all.width(), pixels, labels, all.classNames());
    }
}
