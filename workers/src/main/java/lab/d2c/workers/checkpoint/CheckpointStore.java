package lab.d2c.workers.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.artifact.Sha256;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training node's checkpoints under {@code nodes/<key>/checkpoints/}. Writing: the bytes go
 * to a local temporary file (hashing as they go), then to {@code step-<n>.ckpt}, a key no
 * pointer names yet; the object is read back and its size and sha256 compared; only then is
 * {@code latest.json} rewritten. A crash at any point leaves the previous pointer intact.
 */
public final class CheckpointStore {

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final String CONTENT_TYPE = "application/x-d2c-checkpoint";

    /** Checkpoints kept (the newest and its fallbacks); older ones are deleted. */
    public static final int KEEP = 3;

    /** Writes one checkpoint's bytes. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** A checkpoint that verified, opened for reading. */
    public record Loaded(CheckpointPointer.Entry entry, InputStream stream) {
    }

    private final ArtifactStore store;
    private final String nodeKey;
    private final String prefix;

    public CheckpointStore(ArtifactStore store, String nodeKey) {
        this.store = store;
        this.nodeKey = nodeKey;
        this.prefix = "nodes/" + nodeKey + "/checkpoints/";
    }

    public String pointerKey() {
        return prefix + "latest.json";
    }

    /** Saves, verifies and publishes the checkpoint of a step; returns its entry. */
    public CheckpointPointer.Entry save(long step, Writer writer) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("d2c-ckpt-", ".tmp");
            MessageDigest digest = Sha256.newDigest();
            try (OutputStream out = new DigestOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20), digest)) {
                writer.writeTo(out);
            }
            String sha = Sha256.hex(digest);
            long size = Files.size(tmp);
            String key = prefix + String.format("step-%012d.ckpt", step);
            store.putFile(key, tmp, CONTENT_TYPE, nodeKey);
            String stored = store.sha256Of(key);
            long storedSize = store.stat(key).map(i -> i.sizeBytes()).orElse(-1L);
            if (!stored.equals(sha) || storedSize != size) {
                throw new IOException("checkpoint " + key + " did not verify after upload (size " + storedSize + " vs "
                        + size + ", sha256 " + stored + " vs " + sha + ")");
            }
            CheckpointPointer.Entry entry = new CheckpointPointer.Entry(step, key, size, sha);
            List<CheckpointPointer.Entry> entries = new ArrayList<>();
            entries.add(entry);
            pointer().ifPresent(p -> p.checkpoints().stream().filter(e -> e.step() != step).forEach(entries::add));
            List<CheckpointPointer.Entry> kept = entries.subList(0, Math.min(KEEP, entries.size()));
            store.putJson(pointerKey(), new CheckpointPointer(List.copyOf(kept)), nodeKey);
            for (CheckpointPointer.Entry old : entries.subList(kept.size(), entries.size())) {
                store.delete(old.key());
            }
            return entry;
        } catch (IOException e) {
            throw new UncheckedIOException("saving checkpoint of step " + step + " of " + nodeKey, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    LOG.warn("could not delete {}", tmp);
                }
            }
        }
    }

    /** The pointer, if any checkpoint was published. */
    public Optional<CheckpointPointer> pointer() {
        if (!store.exists(pointerKey())) {
            return Optional.empty();
        }
        return Optional.of(store.getJson(pointerKey(), CheckpointPointer.class));
    }

    /**
     * Opens the newest checkpoint whose stored bytes still match the pointer's size and
     * sha256; a corrupted or missing one is skipped (and logged) in favour of the one before.
     */
    public Optional<Loaded> openLatestValid() {
        Optional<CheckpointPointer> p = pointer();
        if (p.isEmpty()) {
            return Optional.empty();
        }
        for (CheckpointPointer.Entry e : p.get().checkpoints()) {
            try {
                byte[] bytes = store.getBytes(e.key());
                String sha = Sha256.of(bytes);
                if (bytes.length == e.sizeBytes() && sha.equals(e.sha256())) {
                    return Optional.of(new Loaded(e, new java.io.ByteArrayInputStream(bytes)));
                }
                LOG.warn("checkpoint {} of {} fails verification ({} bytes, sha256 {}); trying the previous one",
                        e.key(), nodeKey, bytes.length, sha);
            } catch (RuntimeException ex) {
                LOG.warn("checkpoint {} of {} cannot be read ({}); trying the previous one", e.key(), nodeKey, ex.getMessage());
            }
        }
        return Optional.empty();
    }
}
