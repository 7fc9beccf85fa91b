package lab.d2c.store.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import lab.d2c.store.StoreException;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtifactStoreTest {

    private static final long TWELVE_MB = 12L * 1024 * 1024;
    private static ArtifactStore store;

    @BeforeAll
    static void connect() {
        store = TestStack.get().artifactStore("artifacts");
    }

    @Test
    void bytesRoundTripWithShaSizeTypeAndCatalogEntry() {
        byte[] bytes = "hello, artifacts".getBytes(StandardCharsets.UTF_8);
        ArtifactInfo info = store.putBytes("t/bytes/hello.txt", bytes, "text/plain", "node-1");

        assertThat(info.sizeBytes()).isEqualTo(bytes.length);
        assertThat(info.sha256()).isEqualTo(Sha256.of(bytes));
        assertThat(store.getBytes("t/bytes/hello.txt")).isEqualTo(bytes);
        assertThat(store.stat("t/bytes/hello.txt")).get().satisfies(s -> {
            assertThat(s.sizeBytes()).isEqualTo(bytes.length);
            assertThat(s.sha256()).isEqualTo(info.sha256());
            assertThat(s.contentType()).isEqualTo("text/plain");
        });
        assertThat(store.catalog().orElseThrow().listByNode("node-1")).extracting(ArtifactInfo::key)
                .contains("t/bytes/hello.txt");
    }

    @Test
    void openDescribesTheVersionItReadsWhileTheKeyIsOverwritten() throws Exception {
        String key = "t/open/latest.json";
        store.putBytes(key, version(0), ArtifactStore.JSON_TYPE, null);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = new Thread(() -> {
            for (int i = 1; !stop.get(); i++) {
                store.putBytes(key, version(i % 40), ArtifactStore.JSON_TYPE, null);
            }
        });
        writer.start();
        try {
            for (int read = 0; read < 300; read++) {
                try (ArtifactStore.OpenedArtifact o = store.open(key).orElseThrow()) {
                    byte[] body = o.content().readAllBytes();
                    // the length is the body's and the body is one whole version (its own length is in it)
                    assertThat(body).hasSize(Math.toIntExact(o.info().sizeBytes()));
                    assertThat(body).isEqualTo(version(Integer.parseInt(new String(body, StandardCharsets.US_ASCII)
                            .replaceAll("^\\{\"v\":(\\d+),.*", "$1"))));
                    assertThat(o.info().contentType()).isEqualTo(ArtifactStore.JSON_TYPE);
                }
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertThat(store.open("t/open/absent.json")).isEmpty();
    }

    /** A JSON document whose length grows with v. */
    private static byte[] version(int v) {
        return ("{\"v\":" + v + ",\"pad\":\"" + "x".repeat(v * 7) + "\"}").getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void streamOfUnknownSizeGoesMultipartAndKeepsItsSha() throws IOException {
        String expected;
        try (InputStream local = new PseudoRandomStream(42, TWELVE_MB)) {
            expected = Sha256.of(local);
        }

        ArtifactInfo info = store.put("t/big/blob.bin", new PseudoRandomStream(42, TWELVE_MB), -1, null, null);

        assertThat(info.sizeBytes()).isEqualTo(TWELVE_MB);
        assertThat(info.sha256()).isEqualTo(expected);
        assertThat(info.contentType()).isEqualTo(ArtifactStore.OCTET_STREAM);
        assertThat(store.sha256Of("t/big/blob.bin")).isEqualTo(expected);
        assertThat(store.stat("t/big/blob.bin").orElseThrow().sizeBytes()).isEqualTo(TWELVE_MB);
    }

    @Test
    void knownSizeLargerThanOnePartStreams() {
        long size = 11L * 1024 * 1024 + 17;
        ArtifactInfo info = store.put("t/big/known.bin", new PseudoRandomStream(7, size), size, null, null);
        assertThat(info.sizeBytes()).isEqualTo(size);
        assertThat(store.sha256Of("t/big/known.bin")).isEqualTo(info.sha256());
    }

    @Test
    void listsByPrefixInKeyOrder() {
        store.putBytes("t/list/b.bin", new byte[] {2}, null, null);
        store.putBytes("t/list/a.bin", new byte[] {1}, null, null);
        store.putBytes("t/list/sub/c.bin", new byte[] {3, 3}, null, null);
        store.putBytes("t/listing-other.bin", new byte[] {4}, null, null);

        List<ArtifactInfo> listed = store.list("t/list/");

        assertThat(listed).extracting(ArtifactInfo::key).containsExactly("t/list/a.bin", "t/list/b.bin", "t/list/sub/c.bin");
        assertThat(listed).allSatisfy(i -> assertThat(i.sha256()).isNotNull());
        assertThat(listed.get(2).sizeBytes()).isEqualTo(2);
        assertThat(store.list("t/list")).hasSize(4);
    }

    @Test
    void presignedUrlServesTheBytesToAPlainHttpClient() throws Exception {
        byte[] bytes = "presigned content".getBytes(StandardCharsets.UTF_8);
        store.putBytes("t/presign/file.txt", bytes, "text/plain", null);

        String url = store.presign("t/presign/file.txt", Duration.ofMinutes(5));
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(url).contains("X-Amz-Signature=").doesNotContain(TestStack.SECRET_KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        assertThatThrownBy(() -> store.presign("t/presign/file.txt", Duration.ofDays(8)))
                .hasMessageContaining("between 1 s and 7 days");
    }

    @Test
    void tamperedPresignedUrlIsRefused() throws Exception {
        store.putBytes("t/presign/secret.txt", new byte[] {1}, null, null);
        String url = store.presign("t/presign/secret.txt", Duration.ofMinutes(5)).replace("secret.txt", "other.txt");
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void missingKeyGivesAClearError() {
        assertThat(store.stat("t/missing/none.bin")).isEmpty();
        assertThat(store.exists("t/missing/none.bin")).isFalse();
        assertThatThrownBy(() -> store.get("t/missing/none.bin")).isInstanceOf(ArtifactNotFoundException.class)
                .hasMessage("artifact store: get 't/missing/none.bin': no such object in bucket '" + store.bucket() + "'");
        assertThatThrownBy(() -> store.copy("t/missing/none.bin", "t/missing/copy.bin"))
                .isInstanceOf(ArtifactNotFoundException.class).hasMessageContaining("'t/missing/none.bin'");
    }

    @Test
    void invalidKeysAreRefusedBeforeAnyRequest() {
        assertThatThrownBy(() -> store.putBytes("../escape", new byte[1], null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'..' path segment");
        assertThatThrownBy(() -> store.get("/abs")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deleteRemovesObjectAndCatalogEntry() {
        store.putBytes("t/delete/x.bin", new byte[] {9}, null, "node-d");
        store.delete("t/delete/x.bin");
        assertThat(store.exists("t/delete/x.bin")).isFalse();
        assertThat(store.catalog().orElseThrow().find("t/delete/x.bin")).isEmpty();
        store.delete("t/delete/x.bin"); // idempotent
    }

    @Test
    void copyKeepsBytesAndCatalogsTheCopy() {
        ArtifactInfo src = store.putBytes("t/copy/src.bin", new byte[] {1, 2, 3}, "application/x-test", "node-c");
        ArtifactInfo dst = store.copy("t/copy/src.bin", "t/copy/latest.bin");
        assertThat(dst.key()).isEqualTo("t/copy/latest.bin");
        assertThat(dst.sha256()).isEqualTo(src.sha256());
        assertThat(store.getBytes("t/copy/latest.bin")).containsExactly(1, 2, 3);
        assertThat(store.catalog().orElseThrow().listByNode("node-c")).extracting(ArtifactInfo::key)
                .contains("t/copy/src.bin", "t/copy/latest.bin");
    }

    @Test
    void jsonAndFilesRoundTrip(@TempDir Path dir) throws IOException {
        store.putJson("t/json/value.json", Map.of("steps", 3, "name", "x"));
        assertThat(store.getJson("t/json/value.json", Map.class)).containsEntry("steps", 3).containsEntry("name", "x");
        assertThat(store.stat("t/json/value.json").orElseThrow().contentType()).isEqualTo(ArtifactStore.JSON_TYPE);

        Path file = dir.resolve("in.bin");
        Files.write(file, new byte[] {5, 6, 7});
        ArtifactInfo info = store.putFile("t/file/in.bin", file, null, null);
        assertThat(info.sha256()).isEqualTo(Sha256.of(new byte[] {5, 6, 7}));
        Path out = dir.resolve("sub/out.bin");
        store.download("t/file/in.bin", out);
        assertThat(Files.readAllBytes(out)).containsExactly(5, 6, 7);
    }

    @Test
    void shortStreamForAKnownSizeFailsNamingTheKey() {
        assertThatThrownBy(() -> store.put("t/short/x.bin", new ByteArrayInputStream(new byte[3]), 10, null, null))
                .isInstanceOf(StoreException.class).hasMessageContaining("put 't/short/x.bin'");
    }

    @Test
    void withoutCatalogShaIsUnknownButStillComputable() {
        TestStack stack = TestStack.get();
        ArtifactStore plain = ArtifactStore.builder().setClient(ArtifactStore.client(stack.s3Settings()))
                .setBucket(store.bucket()).build();
        ArtifactInfo info = plain.putBytes("t/plain/x.bin", new byte[] {1}, null, null);
        assertThat(info.sha256()).isEqualTo(Sha256.of(new byte[] {1}));
        assertThat(plain.stat("t/plain/x.bin").orElseThrow().sha256()).isNull();
        assertThat(plain.sha256Of("t/plain/x.bin")).isEqualTo(info.sha256());
    }

    @Test
    void badBucketNamesAndEmptyEndpointAreNamed() {
        assertThatThrownBy(() -> ArtifactStore.builder().setBucket("Bad_Bucket"))
                .hasMessageContaining("bucket: 'Bad_Bucket' is not a valid S3 bucket name");
        var c = TestStack.get().s3Settings();
        var noEndpoint = new S3Settings("", c.region(), c.accessKey(), c.secretKey(), c.bucket());
        assertThatThrownBy(() -> ArtifactStore.connect(noEndpoint)).hasMessageStartingWith("D2C_S3_ENDPOINT: empty");
    }
}
