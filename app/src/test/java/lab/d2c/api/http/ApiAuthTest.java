package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workflows.spec.BundledSweeps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Mutating routes need the bearer token; reads do not; the token file is the owner's alone. */
class ApiAuthTest {

    private static LocalRuntime rt;
    private static String base;
    private static D2cConfig cfg;

    @BeforeAll
    static void start() {
        cfg = LocalStackFixture.freshConfig("auth");
        rt = LocalRuntime.start(cfg, false, 1, LocalStackFixture.quiet());
        base = rt.api().baseUrl() + "/api/v1";
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    private static long sweepCount() {
        return new SweepRepository(rt.platform().database().dataSource()).count();
    }

    @Test
    void postAndDeleteWithoutTheRightTokenGet401AndChangeNothing() throws Exception {
        long before = sweepCount();
        String spec = BundledSweeps.read("smoke");
        for (String token : new String[] {null, "", "wrong-token-of-enough-length", rt.apiToken().value() + "x"}) {
            Http.Response r = Http.post(base + "/sweeps", spec, "application/yaml", token);
            assertThat(r.status()).as("POST with token %s", token).isEqualTo(401);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("unauthorized");
            assertThat(new String(r.bytes())).doesNotContain(rt.apiToken().value());
        }
        for (String method : List.of("DELETE", "PUT", "PATCH")) {
            for (String path : List.of("/sweeps/some-sweep", "/sweeps")) {
                Http.Response r = Http.send(method, base + path, null, null);
                assertThat(r.status()).as(method + " " + path).isEqualTo(401);
            }
        }
        assertThat(sweepCount()).isEqualTo(before);
        // reads stay open
        assertThat(Http.get(base + "/sweeps").status()).isEqualTo(200);
        assertThat(Http.get(base + "/health").status()).isEqualTo(200);
    }

    @Test
    void theRightTokenLaunches() throws Exception {
        Http.Response r = Http.post(base + "/sweeps", BundledSweeps.read("smoke"), "application/yaml",
                rt.apiToken().value());
        assertThat(r.status()).as(new String(r.bytes())).isEqualTo(201);
    }

    @Test
    void theTokenFileIsCreatedOnceWithOwnerOnlyPermissions() throws Exception {
        ApiToken token = rt.apiToken();
        assertThat(token.file()).isEqualTo(cfg.dataDir().resolve(ApiToken.FILE_NAME));
        assertThat(Files.getPosixFilePermissions(token.file()))
                .isEqualTo(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        ApiToken again = ApiToken.resolve(rt.platform().config());
        assertThat(again.value()).isEqualTo(token.value());
        assertThat(again.created()).isFalse();
        assertThat(again.toString()).doesNotContain(token.value());
        assertThat(token.value()).hasSizeGreaterThanOrEqualTo(40); // 256 bits, base64url
    }

    @Test
    void aConfiguredTokenWinsAndAShortOneIsRefused() {
        D2cConfig configured = D2cConfig.load(java.util.Map.of("D2C_API_TOKEN", "a-configured-token-0123456789"),
                java.util.Optional.of(cfg.dataDir()));
        ApiToken token = ApiToken.resolve(configured);
        assertThat(token.value()).isEqualTo("a-configured-token-0123456789");
        assertThat(token.file()).isNull();
        assertThat(token.accepts("Bearer a-configured-token-0123456789")).isTrue();
        assertThat(token.accepts("bearer a-configured-token-0123456789")).isTrue();
        assertThat(token.accepts("Basic a-configured-token-0123456789")).isFalse();
        assertThat(token.accepts(null)).isFalse();
        D2cConfig weak = D2cConfig.load(java.util.Map.of("D2C_API_TOKEN", "short"), java.util.Optional.of(cfg.dataDir()));
        assertThatThrownBy(() -> ApiToken.resolve(weak)).hasMessageStartingWith("D2C_API_TOKEN: must be at least");
    }

    @Test
    void corsIsOffAndErrorsDoNotEchoTokens() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (String method : new String[] {"GET", "OPTIONS"}) {
            var r = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/sweeps"))
                    .method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "http://elsewhere.example")
                    .header("Access-Control-Request-Method", "POST").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(method).isLessThan(500);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).as(method + " CORS header").isEmpty();
        }
        String wrong = "wrong-token-that-must-not-come-back-0123456789";
        Http.Response denied = Http.post(base + "/sweeps", "name: x", "application/yaml", wrong);
        assertThat(denied.status()).isEqualTo(401);
        assertThat(new String(denied.bytes())).doesNotContain(wrong).doesNotContain(rt.apiToken().value());
    }

    @Test
    void pathTraversalIsRefusedForArtifactsAndPages() throws Exception {
        String root = rt.api().baseUrl();
        for (String path : new String[] {"/api/v1/artifacts/%2e%2e/%2e%2e/etc/passwd", "/api/v1/artifacts/%2Fetc%2Fpasswd",
            "/api/v1/artifacts/a//b", "/api/v1/artifacts/a%5C..%5Cb", "/api/v1/artifacts/a%00b", "/api/v1/nodes/..%2Fx",
            "/ui/%2e%2e/%2e%2e/etc/passwd", "/ui/..%2F..%2Fetc%2Fpasswd", "/webjars/..%2F..%2Fetc%2Fpasswd"}) {
            Http.Response r = Http.get(root + path);
            assertThat(r.status()).as(path).isBetween(400, 404);
            assertThat(new String(r.bytes())).as(path).doesNotContain("root:");
        }
        // the pages themselves are served, with a CSP
        var page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(root + "/ui/sweep.html")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'");
    }
}
