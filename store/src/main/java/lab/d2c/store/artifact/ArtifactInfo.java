package lab.d2c.store.artifact;

import java.time.Instant;
import java.util.Objects;

/**
 * What the store knows about one object.
 *
 * @param key         object key
 * @param sizeBytes   size in bytes
 * @param sha256      lower-case hex SHA-256 of the content; null when unknown (no catalog entry)
 * @param contentType MIME type
 * @param createdAt   when it was written
 */
public record ArtifactInfo(String key, long sizeBytes, String sha256, String contentType, Instant createdAt) {

    public ArtifactInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(createdAt, "createdAt");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes: must be >= 0, got " + sizeBytes);
        }
    }

    /** The same object under another key. */
    public ArtifactInfo withKey(String newKey) {
        return new ArtifactInfo(newKey, sizeBytes, sha256, contentType, createdAt);
    }
}
