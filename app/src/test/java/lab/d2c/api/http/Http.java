package lab.d2c.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;

/** A tiny HTTP helper for API tests. */
public final class Http {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    public record Response(int status, JsonNode json, byte[] bytes) {
    }

    private Http() {
    }

    public static Response get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET().build());
    }

    /** A POST with the bearer token ({@code null}: none, to test that it is refused). */
    public static Response post(String url, String body, String type, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return send(req.build());
    }

    /** Any method, with optional token and body. */
    public static Response send(String method, String url, String body, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            req.header("Authorization", "Bearer " + token);
        }
        return send(req.build());
    }

    private static Response send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = CLIENT.send(req, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = null;
        String type = r.headers().firstValue("Content-Type").orElse("");
        if (type.contains("json")) {
            json = JSON.readTree(r.body());
        }
        return new Response(r.statusCode(), json, r.body());
    }

    /** Polls a sweep until it reaches a terminal status. */
    public static JsonNode awaitSweep(String base, String id, Duration timeout) throws IOException, InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            JsonNode s = get(base + "/api/v1/sweeps/" + id).json();
            if (Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(s.path("status").asText())) {
                return s;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("sweep " + id + " not finished after " + timeout + ": " + s.toPrettyString());
            }
            Thread.sleep(300);
        }
    }
}
