package lab.d2c.workers.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import lab.d2c.store.testing.PrometheusText;
import org.junit.jupiter.api.Test;

/** A worker's endpoint on a free loopback port serves the process's registry as Prometheus text, and nothing else. */
class MetricsServerTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesPrometheusTextOnLoopback() throws Exception {
        NodeMeters.declare(List.of("metrics-server-kind"));
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0)) {
            assertThat(server.port()).isPositive();
            assertThat(server.address()).startsWith("127.0.0.1:");
            String base = "http://127.0.0.1:" + server.port();

            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            PrometheusText text = PrometheusText.parse(r.body());
            assertThat(text.find("d2c_nodes_running", "kind", "metrics-server-kind")).isPresent();
            assertThat(text.named("jvm_memory_used_bytes")).isNotEmpty();
            assertThat(text.named("process_uptime_seconds")).isNotEmpty();

            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/other")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);
        }
    }

    @Test
    void aPortInUseFailsToStartInsteadOfSharing() throws Exception {
        try (MetricsServer first = MetricsServer.start("127.0.0.1", 0)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> MetricsServer.start("127.0.0.1", first.port()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
