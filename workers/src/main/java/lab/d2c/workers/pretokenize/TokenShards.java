package lab.d2c.workers.pretokenize;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import lab.d2c.model.ar.TokenSequences;
import lab.d2c.model.data.Npy;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workers.dataset.DatasetShards;

/** Reads a {@code pretokenize} node's shards back, checking every object's sha256. */
public final class TokenShards {

    private TokenShards() {
    }

    public static TokenManifest manifest(ArtifactStore store, String manifestKey) {
        return store.getJson(manifestKey, TokenManifest.class);
    }

    /** Stage one's training data: the VQ ids of every image in both flips, with the images' labels. */
    public static TokenSequences discrete(ArtifactStore store, TokenManifest manifest) {
        int tokens = manifest.grid() * manifest.grid();
        int[] ids = new int[manifest.count() * manifest.flips() * tokens];
        int[] labels = new int[manifest.count()];
        int at = 0;
        for (TokenManifest.Shard shard : manifest.shards()) {
            try {
                int[] shardIds = Npy.read(new ByteArrayInputStream(
                        DatasetShards.verified(store, shard.idsKey(), shard.idsSha256()))).asInts();
                int[] shardLabels = Npy.read(new ByteArrayInputStream(
                        DatasetShards.verified(store, shard.labelsKey(), shard.labelsSha256()))).asInts();
                System.arraycopy(shardIds, 0, ids, at * manifest.flips() * tokens, shardIds.length);
                System.arraycopy(shardLabels, 0, labels, at, shardLabels.length);
                at += shard.count();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read token shard " + shard.idsKey(), e);
            }
        }
        if (at != manifest.count()) {
            throw new IllegalStateException("token shards hold " + at + " images, the manifest says " + manifest.count());
        }
        return TokenSequences.ofFlips(ids, labels, manifest.flips(), manifest.grid());
    }
}
