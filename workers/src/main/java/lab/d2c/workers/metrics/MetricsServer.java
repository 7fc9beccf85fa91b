package lab.d2c.workers.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import lab.d2c.store.metrics.ProcessMetrics;

/**
 * A worker process's Prometheus endpoint: {@code GET /metrics} on {@code host:port}, the process's whole
 * registry (node meters, S3 and SQL timers, Temporal's SDK metrics, JVM). The JDK's HTTP server is enough
 * for one scrape every few seconds, and keeps Javalin out of the workers (the build bans it there).
 * {@code ./d2c local} needs none: its API serves the same process's registry.
 */
public final class MetricsServer implements AutoCloseable {

    /** The default port, Prometheus's usual one for exporters of this kind; {@code D2C_METRICS_PORT}. */
    public static final int DEFAULT_PORT = 9464;

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Binds {@code host:port} and serves. Port 0 takes a free one (tests); callers treat the setting 0 as "off".
     *
     * @throws IOException when the address cannot be bound (in use, no such interface)
     */
    public static MetricsServer start(String host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 8);
        // one daemon thread: a scrape takes milliseconds, and the endpoint must never keep a stopping worker alive
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "d2c-metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", MetricsServer::handle);
        server.start();
        return new MetricsServer(server, executor);
    }

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!ex.getRequestURI().getPath().equals("/metrics")) {
                send(ex, 404, "text/plain; charset=utf-8", "not found: this endpoint serves GET /metrics\n", true);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n", true);
            } else {
                send(ex, 200, ProcessMetrics.CONTENT_TYPE, ProcessMetrics.scrape(), method.equals("GET"));
            }
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body, boolean withBody) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.sendResponseHeaders(status, withBody ? bytes.length : -1);
        if (withBody) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The bound port (the free one when started with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The bound address, for the start-up line. */
    public String address() {
        return server.getAddress().getHostString() + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
