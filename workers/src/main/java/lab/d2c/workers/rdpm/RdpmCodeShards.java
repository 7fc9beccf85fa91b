package lab.d2c.workers.rdpm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import lab.d2c.model.data.Npy;
import lab.d2c.model.rdpm.QuantizationNoise;
import lab.d2c.model.rdpm.RdpmCodeMaps;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workers.dataset.DatasetShards;

/** Reads a {@code pretokenize-rdpm} node's shards back, checking every object's sha256. */
public final class RdpmCodeShards {

    private RdpmCodeShards() {
    }

    public static RdpmCodeManifest manifest(ArtifactStore store, String manifestKey) {
        return store.getJson(manifestKey, RdpmCodeManifest.class);
    }

    /** The noise the manifest's codes were quantized with. */
    public static QuantizationNoise noise(RdpmCodeManifest manifest) {
        return new QuantizationNoise(manifest.noiseSeed(), manifest.steps(), manifest.codeDim(), manifest.grid());
    }

    /** The predictor's training data: every image's code maps in both flips, its label, and the regenerated noise. */
    public static RdpmCodeMaps codeMaps(ArtifactStore store, RdpmCodeManifest manifest) {
        if (manifest.flips() != QuantizationNoise.FLIPS) {
            throw new IllegalStateException("code maps of " + manifest.flips() + " flips; expected "
                    + QuantizationNoise.FLIPS);
        }
        int perImage = manifest.flips() * manifest.steps() * manifest.grid() * manifest.grid();
        int[] codes = new int[Math.multiplyExact(manifest.count(), perImage)];
        int[] labels = new int[manifest.count()];
        int at = 0;
        for (RdpmCodeManifest.Shard shard : manifest.shards()) {
            try {
                int[] c = array(store, shard.codesKey(), shard.codesSha256()).asInts();
                int[] l = array(store, shard.labelsKey(), shard.labelsSha256()).asInts();
                if (c.length != shard.count() * perImage || l.length != shard.count()
                        || at + shard.count() > manifest.count()) {
                    throw new IllegalStateException("code shard " + shard.codesKey() + " does not hold "
                            + shard.count() + " images");
                }
                System.arraycopy(c, 0, codes, at * perImage, c.length);
                System.arraycopy(l, 0, labels, at, l.length);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read code shard " + shard.codesKey(), e);
            }
            at += shard.count();
        }
        if (at != manifest.count()) {
            throw new IllegalStateException("code shards hold " + at + " images, the manifest says " + manifest.count());
        }
        return new RdpmCodeMaps(codes, labels, manifest.steps(), manifest.grid(), noise(manifest));
    }

    private static Npy.Array array(ArtifactStore store, String key, String sha256) throws IOException {
        return Npy.read(new ByteArrayInputStream(DatasetShards.verified(store, key, sha256)));
    }
}
