package lab.d2c.model.data;

import java.nio.file.Path;

/**
 * The {@code data} section of an experiment config.
 *
 * @param dataset    {@code shapes} or {@code fashion-mnist}
 * @param path       directory of the dataset's files, or null for the default location
 * @param imageSize  output resolution (square)
 * @param channels   1 or 3
 * @param numClasses classes of {@code shapes} (Fashion-MNIST has 10)
 * @param trainSize  train images; 0 = all available (shapes: required > 0)
 * @param testSize   test images; 0 = all available
 * @param seed       generation seed of shapes; subset seed otherwise
 * @param shardSize  images per shard
 */
public record DataConfig(String dataset, Path path, int imageSize, int channels, int numClasses, int trainSize,
        int testSize, long seed, int shardSize) {
}
