package lab.d2c.workers.dataset;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.data.Npy;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.artifact.Sha256;
import lab.d2c.workers.node.BadNodeInputException;

/** Reads a split of a prepared dataset back from its shards, checking every shard's sha256. */
public final class DatasetShards {

    private DatasetShards() {
    }

    public static DatasetManifest manifest(ArtifactStore store, String manifestKey) {
        return store.getJson(manifestKey, DatasetManifest.class);
    }

    /**
     * The first {@code limit} images of a split (all when {@code limit} is 0 or larger than the split).
     *
     * @throws BadNodeInputException when the split is missing
     * @throws IllegalStateException when a shard does not match its recorded sha256 (retryable: the
     *                               object may be rewritten by a retried upstream node)
     */
    public static ImageSet load(ArtifactStore store, DatasetManifest manifest, String split, int limit) {
        DatasetManifest.Split s = manifest.splits().get(split);
        if (s == null) {
            throw new BadNodeInputException("the dataset has no '" + split + "' split; it has " + manifest.splits().keySet());
        }
        int n = limit > 0 ? Math.min(limit, s.count()) : s.count();
        int per = manifest.channels() * manifest.imageSize() * manifest.imageSize();
        byte[] pixels = new byte[n * per];
        int[] labels = new int[n];
        int at = 0;
        for (DatasetManifest.Shard shard : s.shards()) {
            if (at >= n) {
                break;
            }
            byte[] imageBytes = verified(store, shard.imagesKey(), shard.imagesSha256());
            byte[] labelBytes = verified(store, shard.labelsKey(), shard.labelsSha256());
            try {
                Npy.Array images = Npy.read(new ByteArrayInputStream(imageBytes));
                int[] shardLabels = Npy.read(new ByteArrayInputStream(labelBytes)).asInts();
                int take = Math.min(shard.count(), n - at);
                System.arraycopy(images.data(), 0, pixels, at * per, take * per);
                System.arraycopy(shardLabels, 0, labels, at, take);
                at += take;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read shard " + shard.imagesKey(), e);
            }
        }
        return new ImageSet(n, manifest.channels(), manifest.imageSize(), manifest.imageSize(), pixels, labels,
                manifest.classNames());
    }

    /** An object's bytes, after checking them against the sha256 a manifest recorded. */
    public static byte[] verified(ArtifactStore store, String key, String sha256) {
        byte[] bytes = store.getBytes(key);
        String actual = Sha256.of(bytes);
        if (!actual.equals(sha256)) {
            throw new IllegalStateException("shard " + key + " has sha256 " + actual + ", the manifest says " + sha256);
        }
        return bytes;
    }
}
