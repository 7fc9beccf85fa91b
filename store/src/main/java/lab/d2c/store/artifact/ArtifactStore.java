package lab.d2c.store.artifact;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.minio.BucketExistsArgs;
import io.minio.CopyObjectArgs;
import io.minio.CopySource;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.StatObjectResponse;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import lab.d2c.store.StoreException;

/**
 * Objects in one S3 bucket. Writes stream (memory is bounded by one multipart part, never the whole
 * object), compute the sha256 on the way and, when a {@link ArtifactCatalog} is attached, record size,
 * sha256, content type and writing node in PostgreSQL. Every key is checked by {@link ArtifactKeys}.
 * Failures are {@link StoreException}s naming the operation and key ({@link ArtifactNotFoundException}
 * for a missing object).
 */
public final class ArtifactStore {

    /** Part size for streams of unknown length: bounds memory per upload and allows objects up to 80 GB. */
    public static final long UNKNOWN_SIZE_PART_BYTES = 8L * 1024 * 1024;
    public static final String OCTET_STREAM = "application/octet-stream";
    public static final String JSON_TYPE = "application/json";
    private static final Duration MAX_PRESIGN = Duration.ofDays(7);
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final MinioClient client;
    private final String bucket;
    private final ArtifactCatalog catalog;
    private final S3Retry retry;

    private ArtifactStore(MinioClient client, String bucket, ArtifactCatalog catalog, S3Retry retry) {
        this.client = client;
        this.bucket = bucket;
        this.catalog = catalog;
        this.retry = retry;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A store on {@code settings}' endpoint and bucket (created if missing), without a catalog. */
    public static ArtifactStore connect(S3Settings settings) {
        return connect(settings, null);
    }

    /** A store on {@code settings}' endpoint and bucket (created if missing), recording into {@code catalog} (nullable). */
    public static ArtifactStore connect(S3Settings settings, ArtifactCatalog catalog) {
        ArtifactStore store = builder().setClient(client(settings)).setBucket(settings.bucket()).optCatalog(catalog).build();
        store.createBucketIfMissing();
        return store;
    }

    /** A MinIO client for {@code settings}' endpoint, keys and region. */
    public static MinioClient client(S3Settings settings) {
        requireSetting("D2C_S3_ENDPOINT", settings.endpoint());
        requireSetting("D2C_S3_ACCESS_KEY", settings.accessKey());
        requireSetting("D2C_S3_SECRET_KEY", settings.secretKey());
        try {
            MinioClient.Builder b = MinioClient.builder().endpoint(settings.endpoint())
                    .credentials(settings.accessKey(), settings.secretKey());
            if (settings.region() != null && !settings.region().isBlank()) {
                b.region(settings.region()); // known region: no GetBucketLocation round trip, presigning works offline
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("D2C_S3_ENDPOINT: '" + settings.endpoint() + "': " + e.getMessage(), e);
        }
    }

    private static void requireSetting(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + ": empty; set it or let local mode start the embedded S3 server");
        }
    }

    public String bucket() {
        return bucket;
    }

    public Optional<ArtifactCatalog> catalog() {
        return Optional.ofNullable(catalog);
    }

    /** Creates the bucket unless it exists (safe when several processes race to create it). */
    public void createBucketIfMissing() {
        S3Call.run(bucket, "create bucket", bucket, () -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                } catch (ErrorResponseException e) {
                    String code = e.errorResponse().code();
                    if (!"BucketAlreadyOwnedByYou".equals(code) && !"BucketAlreadyExists".equals(code)) {
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    /**
     * Streams {@code in} to {@code key} (replacing any object there) and returns what was written.
     *
     * @param size        the number of bytes to read, or -1 when unknown (read to the end; multipart)
     * @param contentType MIME type; null means {@value #OCTET_STREAM}
     * @param nodeKey     the node writing it, recorded in the catalog; nullable
     */
    public ArtifactInfo put(String key, InputStream in, long size, String contentType, String nodeKey) {
        ArtifactKeys.validate(key);
        Objects.requireNonNull(in, "in");
        checkSize(size);
        // A stream cannot be read twice: one attempt (putBytes and putFile retry).
        long start = System.nanoTime();
        try {
            return record(S3Call.run(bucket, "put", key, () -> putOnce(key, in, size, contentType)), nodeKey);
        } finally {
            lab.d2c.store.StoreTimings.s3Since("put", start);
        }
    }

    public ArtifactInfo putBytes(String key, byte[] bytes, String contentType, String nodeKey) {
        ArtifactKeys.validate(key);
        Objects.requireNonNull(bytes, "bytes");
        return record(retry.run(bucket, "put", key, () -> putOnce(key, new ByteArrayInputStream(bytes), bytes.length,
                contentType)), nodeKey);
    }

    public ArtifactInfo putFile(String key, Path file, String contentType, String nodeKey) {
        ArtifactKeys.validate(key);
        if (!Files.isRegularFile(file)) {
            throw new StoreException("artifact store: put '" + key + "' from file " + file + ": no such file");
        }
        return record(retry.run(bucket, "put", key, () -> {
            try (InputStream in = Files.newInputStream(file)) {
                return putOnce(key, in, Files.size(file), contentType);
            }
        }), nodeKey);
    }

    private static void checkSize(long size) {
        if (size < -1) {
            throw new IllegalArgumentException("size: must be >= 0, or -1 for unknown; got " + size);
        }
    }

    private ArtifactInfo putOnce(String key, InputStream in, long size, String contentType) throws Exception {
        String type = contentType == null || contentType.isBlank() ? OCTET_STREAM : contentType;
        MessageDigest digest = Sha256.newDigest();
        CountingInputStream counted = new CountingInputStream(new DigestInputStream(in, digest));
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(key)
                .stream(counted, size, size < 0 ? UNKNOWN_SIZE_PART_BYTES : -1).contentType(type).build());
        return new ArtifactInfo(key, counted.count(), Sha256.hex(digest), type, now());
    }

    private ArtifactInfo record(ArtifactInfo info, String nodeKey) {
        if (catalog != null) {
            catalog.record(info, nodeKey);
        }
        return info;
    }

    /** Writes {@code value} as JSON ({@value #JSON_TYPE}). */
    public ArtifactInfo putJson(String key, Object value) {
        return putJson(key, value, null);
    }

    public ArtifactInfo putJson(String key, Object value, String nodeKey) {
        ArtifactKeys.validate(key);
        try {
            return putBytes(key, JSON.writeValueAsBytes(value), JSON_TYPE, nodeKey);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("artifact '" + key + "': value is not serialisable as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** The content of {@code key}; the caller closes the stream. Opening is retried, reading is not. */
    public InputStream get(String key) {
        ArtifactKeys.validate(key);
        return new TimedInputStream(retry.run(bucket, "get", key,
                () -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())));
    }

    /**
     * The object's size, type and time together with its content, from one GET, so the two always
     * describe the same version even while the key is being overwritten (a stat and then a get can see
     * two versions: a {@code latest.json} that grew in between came out cut at the old length). The
     * sha256 is the catalog's when its entry has the same size, as {@link #stat}. Empty when there is
     * no such object. The caller closes the stream.
     */
    public Optional<OpenedArtifact> open(String key) {
        ArtifactKeys.validate(key);
        Optional<GetObjectResponse> response = retry.run(bucket, "get", key, () -> {
            try {
                return Optional.of(client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code())) {
                    return Optional.<GetObjectResponse>empty();
                }
                throw e;
            }
        });
        return response.map(r -> {
            var h = r.headers();
            String type = h.get("Content-Type");
            java.util.Date modified = h.getDate("Last-Modified");
            ArtifactInfo fromS3 = new ArtifactInfo(key, Long.parseLong(h.get("Content-Length")), null,
                    type == null ? OCTET_STREAM : type, modified == null ? Instant.EPOCH : modified.toInstant());
            return new OpenedArtifact(withCatalog(fromS3, catalog == null ? Optional.empty() : catalog.find(key)),
                    new TimedInputStream(r));
        });
    }

    /** An object's description and its open content, from the same GET ({@link #open}). */
    public record OpenedArtifact(ArtifactInfo info, InputStream content) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            content.close();
        }
    }

    public byte[] getBytes(String key) {
        ArtifactKeys.validate(key);
        return retry.run(bucket, "read", key, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return in.readAllBytes();
            }
        });
    }

    public <T> T getJson(String key, Class<T> type) {
        try {
            return JSON.readValue(getBytes(key), type);
        } catch (IOException e) {
            throw new StoreException("artifact '" + key + "': not JSON of " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Streams {@code key} into {@code target} (written to a sibling temporary file, then moved into place). */
    public void download(String key, Path target) {
        ArtifactKeys.validate(key);
        Path parent = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("artifact store: download '" + key + "' to " + target, e);
        }
        retry.run(bucket, "download", key, () -> {
            Path tmp = Files.createTempFile(parent, target.getFileName().toString(), ".part");
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return null;
            } finally {
                Files.deleteIfExists(tmp);
            }
        });
    }

    /**
     * Size, type and time from S3; sha256 from the catalog when it has an entry of the same size
     * (otherwise null). Empty when there is no such object.
     */
    public Optional<ArtifactInfo> stat(String key) {
        ArtifactKeys.validate(key);
        Optional<ArtifactInfo> fromS3 = retry.run(bucket, "stat", key, () -> {
            try {
                StatObjectResponse s = client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
                return Optional.of(new ArtifactInfo(key, s.size(), null,
                        s.contentType() == null ? OCTET_STREAM : s.contentType(), s.lastModified().toInstant()));
            } catch (ErrorResponseException e) {
                if ("NoSuchKey".equals(e.errorResponse().code())) {
                    return Optional.<ArtifactInfo>empty();
                }
                throw e;
            }
        });
        return fromS3.map(info -> withCatalog(info, catalog == null ? Optional.empty() : catalog.find(key)));
    }

    private static ArtifactInfo withCatalog(ArtifactInfo fromS3, Optional<ArtifactInfo> entry) {
        return entry.filter(c -> c.sizeBytes() == fromS3.sizeBytes()).orElse(fromS3);
    }

    public boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** Objects whose key starts with {@code prefix} ("" = all), by key. */
    public List<ArtifactInfo> list(String prefix) {
        ArtifactKeys.validatePrefix(prefix);
        Map<String, ArtifactInfo> catalogued = new HashMap<>();
        if (catalog != null) {
            catalog.listByPrefix(prefix).forEach(i -> catalogued.put(i.key(), i));
        }
        return retry.run(bucket, "list", prefix, () -> {
            List<ArtifactInfo> out = new ArrayList<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                Item item = result.get();
                if (item.isDir() || item.objectName().endsWith("/")) {
                    continue;
                }
                ArtifactInfo known = catalogued.get(item.objectName());
                if (known != null && known.sizeBytes() == item.size()) {
                    out.add(known);
                } else {
                    stat(item.objectName()).ifPresent(out::add); // the type is only in the object's headers
                }
            }
            return out;
        });
    }

    /** A URL anyone can GET {@code key} with until {@code validity} has passed (1 s to 7 days). */
    public String presign(String key, Duration validity) {
        ArtifactKeys.validate(key);
        if (validity.compareTo(Duration.ofSeconds(1)) < 0 || validity.compareTo(MAX_PRESIGN) > 0) {
            throw new IllegalArgumentException("presign validity: must be between 1 s and 7 days, got " + validity);
        }
        return S3Call.run(bucket, "presign", key, () -> client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Method.GET).bucket(bucket).object(key).expiry((int) validity.toSeconds()).build()));
    }

    /** Removes the object and its catalog entry; nothing happens when there is none. */
    public void delete(String key) {
        ArtifactKeys.validate(key);
        retry.run(bucket, "delete", key, () -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
        if (catalog != null) {
            catalog.delete(key);
        }
    }

    /** Recomputes the sha256 of the stored bytes by streaming the object. */
    public String sha256Of(String key) {
        ArtifactKeys.validate(key);
        return retry.run(bucket, "read", key, () -> {
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                return Sha256.of(in);
            }
        });
    }

    /** Server-side copy (objects up to 5 GiB); the catalog entry of the copy repeats the source's. */
    public ArtifactInfo copy(String srcKey, String dstKey) {
        ArtifactKeys.validate(srcKey);
        ArtifactKeys.validate(dstKey);
        retry.run(bucket, "copy to '" + dstKey + "' from", srcKey, () -> client.copyObject(CopyObjectArgs.builder()
                .bucket(bucket).object(dstKey)
                .source(CopySource.builder().bucket(bucket).object(srcKey).build()).build()));
        if (catalog != null && !catalog.recordCopy(srcKey, dstKey, now())) {
            ArtifactInfo s3 = stat(dstKey).orElseThrow(() -> new ArtifactNotFoundException("copy", bucket, dstKey));
            catalog.record(new ArtifactInfo(dstKey, s3.sizeBytes(), sha256Of(dstKey), s3.contentType(), s3.createdAt()), null);
        }
        return stat(dstKey).orElseThrow(() -> new ArtifactNotFoundException("copy", bucket, dstKey));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS); // PostgreSQL keeps microseconds
    }

    @Override
    public String toString() {
        return "ArtifactStore[bucket=" + bucket + (catalog == null ? "" : ", catalogued") + "]";
    }

    /** Required: client, bucket. Optional: catalog. */
    public static final class Builder {
        private MinioClient client;
        private String bucket;
        private ArtifactCatalog catalog;
        private Duration retryBudget = S3Retry.DEFAULT_BUDGET;

        private Builder() {
        }

        /**
         * How long calls that failed for a passing reason (connection refused or reset, timeout,
         * 5xx) are retried before the failure is reported; zero = no retry. Default 90 s.
         */
        public Builder optRetryBudget(Duration budget) {
            this.retryBudget = Objects.requireNonNull(budget, "budget");
            return this;
        }

        public Builder setClient(MinioClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** An S3 bucket name: 3-63 lower-case letters, digits, '.' or '-', starting and ending alphanumeric. */
        public Builder setBucket(String bucket) {
            if (bucket == null || !BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
                throw new IllegalArgumentException("bucket: '" + bucket + "' is not a valid S3 bucket name"
                        + " (3-63 of a-z 0-9 . -, starting and ending with a letter or digit)");
            }
            this.bucket = bucket;
            return this;
        }

        /** Where puts are recorded and sha256s looked up; without one, stat and list give sha256 null. */
        public Builder optCatalog(ArtifactCatalog catalog) {
            this.catalog = catalog;
            return this;
        }

        public ArtifactStore build() {
            if (client == null) {
                throw new IllegalArgumentException("client: required");
            }
            if (bucket == null) {
                throw new IllegalArgumentException("bucket: required");
            }
            return new ArtifactStore(client, bucket, catalog, new S3Retry(retryBudget));
        }
    }
}
