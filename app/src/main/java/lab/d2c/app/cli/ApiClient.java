package lab.d2c.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The CLI's view of the REST API: small, synchronous, errors as readable messages. */
final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    ApiClient(String base) {
        this(base, null);
    }

    /** @param token the bearer token mutating calls send; null = none (reads need none) */
    ApiClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    /** The raw bytes of a GET (a PNG, a zip); errors as for JSON calls. */
    byte[] getBytes(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).GET().build();
        HttpResponse<byte[]> resp = exchange(request, HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() >= 400) {
            throw new ApiCallException(describe(resp.statusCode(),
                    json(request, new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8))));
        }
        return resp.body();
    }

    /**
     * Streams the body of a GET into {@code out} (a bundle, an artifact: never held whole in memory); errors as
     * for JSON calls, and then nothing is written.
     *
     * @return the number of bytes written
     */
    long download(String path, java.io.OutputStream out) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).GET().build();
        HttpResponse<java.io.InputStream> resp = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = resp.body()) {
            if (resp.statusCode() >= 400) {
                String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                throw new ApiCallException(describe(resp.statusCode(), json(request, text)));
            }
            return in.transferTo(out);
        }
    }

    /** A POST without a body (the actions: cancel, resume, rerun-failed), with the token. */
    JsonNode post(String path) {
        return post(path, "", "application/json");
    }

    JsonNode post(String path, String body, String contentType) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request.build());
    }

    private JsonNode send(HttpRequest request) {
        HttpResponse<String> resp = exchange(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = json(request, resp.body());
        if (resp.statusCode() >= 400) {
            throw new ApiCallException(describe(resp.statusCode(), body));
        }
        return body;
    }

    /** One HTTP exchange; a refused connection, an I/O failure or an interrupt as a readable message. */
    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException e) {
            throw new ApiCallException("cannot reach the API at " + base + " (start it with ./d2c local, or set --api)");
        } catch (IOException e) {
            throw new ApiCallException("API call " + request.uri() + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiCallException("interrupted");
        }
    }

    private static JsonNode json(HttpRequest request, String text) {
        try {
            return text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text);
        } catch (IOException e) {
            throw new ApiCallException("API call " + request.uri() + " failed: " + e.getMessage());
        }
    }

    private static String describe(int status, JsonNode body) {
        JsonNode err = body.path("error");
        StringBuilder sb = new StringBuilder("HTTP " + status + ": " + err.path("message").asText(body.toString()));
        for (JsonNode f : err.path("fields")) {
            sb.append("\n  ").append(f.path("path").asText()).append(": ").append(f.path("reason").asText());
        }
        return sb.toString();
    }

    /** An API call failed; the message is meant for people. */
    static final class ApiCallException extends RuntimeException {
        ApiCallException(String message) {
            super(message);
        }
    }
}
