package lab.d2c.workers.pretokenize;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import lab.d2c.model.stage1.TokenSequences;
import lab.d2c.model.data.Npy;
import lab.d2c.model.stage2.HybridTokens;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workers.dataset.DatasetShards;

/** Reads a {@code pretokenize} node's shards back, checking every object's sha256. */
public final class TokenShards {

    private TokenShards() {
    }

    public static TokenManifest manifest(ArtifactStore store, String manifestKey) {
        return store.getJson(manifestKey, TokenManifest.class);
    }

    /** Stage two's training data: VQ ids and the VAE's scaled posterior moments of every image in both flips. */
    public static HybridTokens continuous(ArtifactStore store, TokenManifest manifest) {
        int tokens = manifest.grid() * manifest.grid();
        int c = manifest.latentChannels();
        int[] ids = new int[manifest.count() * manifest.flips() * tokens];
        float[] moments = new float[manifest.count() * manifest.flips() * 2 * c * tokens];
        int[] labels = new int[manifest.count()];
        forEachShard(manifest, (shard, at) -> {
            copy(array(store, shard.idsKey(), shard.idsSha256()).asInts(), ids, at * manifest.flips() * tokens);
            float[] m = array(store, shard.momentsKey(), shard.momentsSha256()).asFloats();
            System.arraycopy(m, 0, moments, at * manifest.flips() * 2 * c * tokens, m.length);
            copy(array(store, shard.labelsKey(), shard.labelsSha256()).asInts(), labels, at);
        });
        return HybridTokens.ofMoments(ids, moments, labels, manifest.flips(), manifest.grid(), c, manifest.latentScale());
    }

    /** Stage one's training data: the VQ ids of every image in both flips, with the images' labels. */
    public static TokenSequences discrete(ArtifactStore store, TokenManifest manifest) {
        int tokens = manifest.grid() * manifest.grid();
        int[] ids = new int[manifest.count() * manifest.flips() * tokens];
        int[] labels = new int[manifest.count()];
        forEachShard(manifest, (shard, at) -> {
            copy(array(store, shard.idsKey(), shard.idsSha256()).asInts(), ids, at * manifest.flips() * tokens);
            copy(array(store, shard.labelsKey(), shard.labelsSha256()).asInts(), labels, at);
        });
        return TokenSequences.ofFlips(ids, labels, manifest.flips(), manifest.grid());
    }

    private interface ShardReader {
        /** Reads one shard whose first image is image {@code at}. */
        void read(TokenManifest.Shard shard, int at) throws IOException;
    }

    private static void forEachShard(TokenManifest manifest, ShardReader reader) {
        int at = 0;
        for (TokenManifest.Shard shard : manifest.shards()) {
            try {
                reader.read(shard, at);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read token shard " + shard.idsKey(), e);
            }
            at += shard.count();
        }
        if (at != manifest.count()) {
            throw new IllegalStateException("token shards hold " + at + " images, the manifest says " + manifest.count());
        }
    }

    private static Npy.Array array(ArtifactStore store, String key, String sha256) throws IOException {
        return Npy.read(new ByteArrayInputStream(DatasetShards.verified(store, key, sha256)));
    }

    private static void copy(int[] from, int[] to, int at) {
        System.arraycopy(from, 0, to, at, from.length);
    }
}
