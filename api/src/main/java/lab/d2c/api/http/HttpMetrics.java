package lab.d2c.api.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import lab.d2c.store.metrics.ProcessMetrics;

/**
 * {@code GET /metrics}: the process's registry in the Prometheus text format, read without the token like
 * every GET (it holds counts and timings, no keys, names or credentials); and a timer of every request,
 * {@code d2c_http_server_requests_seconds{method,route,status}}, labelled by the route's template
 * ({@code /api/v1/sweeps/{id}}), never the raw path, so the label set stays small.
 */
final class HttpMetrics {

    static final String PATH = "/metrics";
    private static final String STARTED = "d2c.http.started";

    private HttpMetrics() {
    }

    /** Call before any other handler, so requests that a later before-handler refuses are timed too. */
    static void register(RoutesConfig app) {
        app.before(ctx -> ctx.attribute(STARTED, System.nanoTime()));
        app.after(HttpMetrics::record);
        app.get(PATH, ctx -> ctx.contentType(ProcessMetrics.CONTENT_TYPE).result(ProcessMetrics.scrape()));
    }

    private static void record(Context ctx) {
        Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        Timer.builder("d2c.http.server.requests").description("API requests by route template and status")
                .tag("method", ctx.method().name()).tag("route", route(ctx)).tag("status", Integer.toString(ctx.statusCode()))
                .register(ProcessMetrics.registry()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    /** The matched route's template; static files and unmatched paths get one label each. */
    private static String route(Context ctx) {
        // Javalin 7: the HTTP endpoint that served the request, or null where none did (static files, 404, 405)
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        String template = matched == null ? null : matched.path;
        if (template != null && template.startsWith("/") && !template.contains("*")) {
            return template;
        }
        return ctx.statusCode() == 404 ? "unmatched" : "static";
    }
}
