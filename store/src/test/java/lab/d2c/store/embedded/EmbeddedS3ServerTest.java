package lab.d2c.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import lab.d2c.store.artifact.ArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedS3ServerTest {

    private static MinioClient client(EmbeddedS3Server s3, String secret) {
        return MinioClient.builder().endpoint(s3.endpoint()).credentials("id", secret).region("us-east-1").build();
    }

    @Test
    void objectsSurviveARestartOnTheSameDirectory(@TempDir Path dir) throws Exception {
        int port;
        try (EmbeddedS3Server s3 = EmbeddedS3Server.start(dir, 0, "id", "secret")) {
            port = s3.port();
            assertThat(s3.endpoint()).isEqualTo("http://127.0.0.1:" + port);
            MinioClient c = client(s3, "secret");
            c.makeBucket(MakeBucketArgs.builder().bucket("keep").build());
            c.putObject(PutObjectArgs.builder().bucket("keep").object("a/b.txt")
                    .stream(new ByteArrayInputStream(new byte[] {1, 2}), 2, -1).build());
        }
        try (EmbeddedS3Server s3 = EmbeddedS3Server.start(dir, port, "id", "secret");
             InputStream in = client(s3, "secret").getObject(GetObjectArgs.builder().bucket("keep").object("a/b.txt").build())) {
            assertThat(in.readAllBytes()).containsExactly(1, 2);
        }
    }

    @Test
    void wrongSecretIsRefusedAndNeverEchoed(@TempDir Path dir) {
        try (EmbeddedS3Server s3 = EmbeddedS3Server.start(dir, 0, "id", "secret")) {
            MinioClient wrong = client(s3, "not-the-secret-xyz");
            assertThatThrownBy(() -> wrong.bucketExists(BucketExistsArgs.builder().bucket("x").build()))
                    .hasMessageNotContaining("not-the-secret-xyz");
            ArtifactStore store = ArtifactStore.builder().setClient(wrong).setBucket("x-bucket").build();
            assertThatThrownBy(() -> store.putBytes("k", new byte[1], null, null))
                    .hasMessageStartingWith("artifact store: put 'k' in bucket 'x-bucket' failed:")
                    .hasMessageNotContaining("not-the-secret-xyz");
        }
    }

    @Test
    void argumentsAreChecked(@TempDir Path dir) {
        assertThatThrownBy(() -> EmbeddedS3Server.start(dir, 0, "", "s")).hasMessage("identity: required (non-empty)");
        assertThatThrownBy(() -> EmbeddedS3Server.start(dir, -1, "i", "s")).hasMessageContaining("port");
    }
}
