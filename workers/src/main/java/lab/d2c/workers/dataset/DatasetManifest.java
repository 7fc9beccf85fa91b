package lab.d2c.workers.dataset;

import java.util.List;
import java.util.Map;

/**
 * The manifest of a prepared dataset: what {@code manifest.json} holds.
 *
 * @param dataset       dataset name
 * @param imageSize     resolution (square)
 * @param channels      1 or 3
 * @param classNames    class id to name
 * @param normalization how models map uint8 pixels to floats
 * @param splits        split name (train, test) to its shards
 */
public record DatasetManifest(String dataset, int imageSize, int channels, List<String> classNames,
        String normalization, Map<String, Split> splits) {

    /** One split: counts and shards. */
    public record Split(int count, int[] countsPerClass, List<Shard> shards) {
    }

    /**
     * One shard: two .npy objects, uint8 images [n, c, h, w] and int32 labels [n].
     */
    public record Shard(int count, String imagesKey, String imagesSha256, String labelsKey, String labelsSha256) {
    }
}
