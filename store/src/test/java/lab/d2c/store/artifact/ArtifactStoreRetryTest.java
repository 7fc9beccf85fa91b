package lab.d2c.store.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.MinioClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import lab.d2c.store.StoreException;
import lab.d2c.store.testing.FaultProxy;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * S3 through a {@link FaultProxy}: while the connection is cut, writes and reads wait and
 * retry instead of failing, and land whole once it is back; with no budget left the failure
 * names the operation and key; an answer that will not change (no such key) is not retried.
 */
class ArtifactStoreRetryTest {

    @TempDir
    Path tmp;

    private static ArtifactStore through(FaultProxy proxy, Duration budget) {
        TestStack stack = TestStack.get();
        MinioClient client = MinioClient.builder().endpoint("http://127.0.0.1:" + proxy.port())
                .credentials(TestStack.ACCESS_KEY, TestStack.SECRET_KEY).region(TestStack.REGION).build();
        return ArtifactStore.builder().setClient(client).setBucket(stack.artifactStore("retry").bucket())
                .optRetryBudget(budget).build();
    }

    @Test
    void callsDuringAnOutageWaitForTheStoreAndLandWhole() throws Exception {
        TestStack stack = TestStack.get();
        int s3Port = java.net.URI.create(stack.s3Settings().endpoint()).getPort();
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", s3Port)) {
            ArtifactStore store = through(proxy, Duration.ofSeconds(30));
            byte[] before = "written before the outage".getBytes(StandardCharsets.UTF_8);
            store.putBytes("retry/before.txt", before, "text/plain", null);

            proxy.cut();
            byte[] during = new byte[3 * 1024 * 1024];
            new java.util.Random(7).nextBytes(during);
            Path file = Files.write(tmp.resolve("ckpt.bin"), during);
            CompletableFuture<ArtifactInfo> put = CompletableFuture.supplyAsync(() ->
                    store.putFile("retry/ckpt.bin", file, null, null));
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> store.getBytes("retry/before.txt"));
            Thread.sleep(3000);
            assertThat(put).as("still waiting while the store is unreachable").isNotDone();
            assertThat(read).isNotDone();
            assertThat(proxy.refused()).as("it kept trying").isGreaterThanOrEqualTo(2);
            proxy.restore();

            ArtifactInfo info = put.get(30, TimeUnit.SECONDS);
            assertThat(info.sizeBytes()).isEqualTo(during.length);
            assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(before);
            assertThat(store.getBytes("retry/ckpt.bin")).isEqualTo(during);
            assertThat(store.sha256Of("retry/ckpt.bin")).isEqualTo(info.sha256());
        }
    }

    @Test
    void withTheBudgetSpentTheFailureNamesOperationAndKeyAndMissingKeysFailAtOnce() throws Exception {
        TestStack stack = TestStack.get();
        int s3Port = java.net.URI.create(stack.s3Settings().endpoint()).getPort();
        try (FaultProxy proxy = FaultProxy.start("127.0.0.1", s3Port)) {
            ArtifactStore store = through(proxy, Duration.ofSeconds(2));
            long start = System.nanoTime();
            assertThatThrownBy(() -> store.getBytes("retry/nothing-here"))
                    .isInstanceOf(ArtifactNotFoundException.class);
            assertThat(System.nanoTime() - start).as("no retry of a missing key").isLessThan(Duration.ofSeconds(2).toNanos());

            proxy.cut();
            assertThatThrownBy(() -> store.putBytes("retry/lost.txt", new byte[] {1}, null, null))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("put").hasMessageContaining("retry/lost.txt").hasMessageContaining("attempts");
            proxy.restore();
            assertThat(store.exists("retry/lost.txt")).as("nothing half-written").isFalse();
        }
    }
}
