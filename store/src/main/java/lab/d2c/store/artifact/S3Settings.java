package lab.d2c.store.artifact;

/**
 * What {@link ArtifactStore#connect(S3Settings)} needs to reach S3: store's own settings, so that
 * store does not read the whole platform's configuration. The caller builds them (the API and CLI
 * from their {@code D2C_S3_*} settings).
 *
 * @param endpoint  S3 endpoint URL
 * @param region    S3 region; empty or null = ask the server
 * @param accessKey S3 access key
 * @param secretKey S3 secret key
 * @param bucket    bucket for artifacts and checkpoints
 */
public record S3Settings(String endpoint, String region, String accessKey, String secretKey, String bucket) {

    /** Never prints the keys. */
    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", bucket=" + bucket + "]";
    }
}
