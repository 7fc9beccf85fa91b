package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.store.testing.PrometheusText;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code curl /metrics} on the local stack: Prometheus text with the node meters of the in-process worker,
 * Temporal's SDK metrics, the S3 timer of an artifact read through the API, and request timers labelled by
 * route template, never by the raw path.
 */
// generous: starting the embedded stack alone took over 3 minutes on a 2-core machine under load
@Timeout(value = 8, unit = java.util.concurrent.TimeUnit.MINUTES)
class MetricsEndpointTest {

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void theLocalStackServesOneRegistryAsPrometheusText() throws Exception {
        try (LocalRuntime rt = LocalRuntime.start(LocalStackFixture.freshConfig("metrics"), true, 1,
                LocalStackFixture.quiet())) {
            String base = rt.api().baseUrl();
            String key = "nodes/metrics-test-node/secret-object-name.bin";
            rt.platform().artifacts().putBytes(key, "hello".getBytes(StandardCharsets.UTF_8), null, null);
            assertThat(Http.get(base + "/api/v1/artifacts/" + key).status()).isEqualTo(200);
            assertThat(Http.get(base + "/api/v1/sweeps/no-such-sweep-xyz").status()).isEqualTo(404);
            assertThat(Http.get(base + "/no/such/page-xyz").status()).isEqualTo(404);

            // Temporal's reporter hands its counts to Micrometer every 2 s; the worker's pollers are already calling
            PrometheusText text = null;
            String body = "";
            for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline; Thread.sleep(500)) {
                HttpResponse<String> r = CLIENT.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("GET /metrics needs no token").isEqualTo(200);
                assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                        assertThat(t).startsWith("text/plain; version=0.0.4"));
                body = r.body();
                text = PrometheusText.parse(body); // every line parses as exposition format
                if (text.samples().stream().anyMatch(s -> s.name().startsWith("temporal_"))) {
                    break;
                }
            }
            assertThat(text.samples()).as("Temporal SDK metrics").anyMatch(s -> s.name().startsWith("temporal_"));
            assertThat(text.find("d2c_nodes_running", "kind", "train-vq")).as("the in-process worker's node gauge")
                    .hasValueSatisfying(s -> assertThat(s.value()).isZero());
            // the artifact route reads through the store: a "get" or a "read" call by its operation label
            assertThat(text.value("d2c_s3_request_seconds_count", "operation", "get")
                    + text.value("d2c_s3_request_seconds_count", "operation", "read"))
                    .as("the artifact's S3 get; S3 lines: %s", body.lines()
                            .filter(l -> l.startsWith("d2c_s3_request_seconds_count")).toList())
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(text.value("d2c_sql_statement_seconds_count", "repository", "sweeps")).as("the sweep lookup's SQL")
                    .isGreaterThanOrEqualTo(1.0);
            // registered after earlier stacks in this JVM closed (Temporal's reporter used to close the registry)
            assertThat(text.named("hikaricp_connections_acquire_seconds_count")).isNotEmpty();
            assertThat(text.value("d2c_http_server_requests_seconds_count", "method", "GET", "route",
                    "/api/v1/artifacts/<key>", "status", "200")).as("the artifact GET; request lines: %s", body.lines()
                    .filter(l -> l.startsWith("d2c_http_server_requests_seconds_count")).toList()).isGreaterThanOrEqualTo(1.0);
            assertThat(text.value("d2c_http_server_requests_seconds_count", "route", "/api/v1/sweeps/{id}",
                    "status", "404")).isGreaterThanOrEqualTo(1.0);
            assertThat(text.value("d2c_http_server_requests_seconds_count", "route", "unmatched", "status", "404"))
                    .isGreaterThanOrEqualTo(1.0);
            assertThat(text.named("jvm_memory_used_bytes")).isNotEmpty();
            assertThat(body).as("keys, ids and raw paths never become labels")
                    .doesNotContain("secret-object-name", "no-such-sweep-xyz", "page-xyz");
        }
    }
}
