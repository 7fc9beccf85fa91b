package lab.d2c.store.artifact;

import io.minio.errors.ErrorResponseException;
import lab.d2c.store.StoreException;

/** One MinIO client call, and how its failures become {@link StoreException}s naming the operation and key. */
@FunctionalInterface
interface S3Call<T> {

    T call() throws Exception;

    static <T> T run(String bucket, String operation, String key, S3Call<T> call) {
        try {
            return call.call();
        } catch (StoreException e) {
            throw e;
        } catch (Exception e) {
            throw failure(bucket, operation, key, e);
        }
    }

    static StoreException failure(String bucket, String operation, String key, Exception e) {
        if (e instanceof ErrorResponseException response) {
            String code = response.errorResponse().code();
            if ("NoSuchKey".equals(code)) {
                return new ArtifactNotFoundException(operation, bucket, key);
            }
            if ("NoSuchBucket".equals(code)) {
                return new StoreException("artifact store: " + operation + " '" + key + "': bucket '" + bucket
                        + "' does not exist", e);
            }
            return new StoreException("artifact store: " + operation + " '" + key + "' in bucket '" + bucket
                    + "' failed: " + code + ": " + response.errorResponse().message(), e);
        }
        return new StoreException("artifact store: " + operation + " '" + key + "' in bucket '" + bucket
                + "' failed: " + e, e);
    }
}
