package lab.d2c.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;

import java.util.List;
import java.util.Map;
import java.util.Set;
import lab.d2c.api.platform.Platform;
import lab.d2c.api.sweep.SweepControl;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.workflows.spec.SpecException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API, {@code /api/v1}. Every error leaves as {@link ApiError}'s JSON shape;
 * unexpected ones as a 500 that says only that, with details in the server log.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    /** Largest accepted request body: a sweep file is a few KB. Checked on the stream, not only Content-Length. */
    public static final int MAX_BODY_BYTES = 1_000_000;

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private final Javalin app;
    private final String host;

    private final List<Routes.Route> routes;

    private ApiServer(Javalin app, String host, List<Routes.Route> routes) {
        this.app = app;
        this.host = host;
        this.routes = routes;
    }

    /** The routes it serves. */
    List<Routes.Route> routes() {
        return routes;
    }

    /** Methods that change state: they need the bearer token. */
    private static final Set<HandlerType> MUTATING = Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
            HandlerType.DELETE); // a record since Javalin 7 (QUERY and custom methods), no longer an enum

    /** Binds {@code D2C_API_HOST:D2C_API_PORT} of the platform's configuration. */
    public static ApiServer start(Platform platform, SweepService sweeps, ApiToken token) {
        String host = platform.config().apiHost();
        int port = platform.config().apiPort();
        HostCheck hosts = new HostCheck(platform.config().allowedHostNames());
        Routes routes = new Routes(platform, sweeps);
        // Javalin 7 takes every handler in the config block, before the server exists; the order below is
        // the order they run in, as it was when they were added to the running app.
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = MAX_BODY_BYTES;
            cfg.jsonMapper(new JavalinJackson(JSON, false));
            cfg.router.ignoreTrailingSlashes = true;
            // The pages: plain HTML and JS from the jar, Chart.js as a WebJar; no Node step.
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/ui";
                sf.directory = "/web";
                sf.location = Location.CLASSPATH;
            });
            cfg.staticFiles.enableWebjars();
            // No CORS plugin: browsers keep other origins' scripts off the API.
            RoutesConfig r = cfg.routes;
            HttpMetrics.register(r); // first: it times requests the checks below refuse
            r.after(ctx -> {
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("X-Frame-Options", "DENY");
                ctx.header("Referrer-Policy", "same-origin");
                if (ctx.res().getHeader("Content-Security-Policy") == null) { // artifacts set a stricter one
                    ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self';"
                            + " script-src 'self'; connect-src 'self'; frame-ancestors 'none'");
                }
            });
            r.get("/", ctx -> ctx.redirect("/ui/"));
            r.get("/favicon.ico", ctx -> ctx.redirect("/ui/favicon.svg"));
            // first: a page of another site that rebinds its DNS name to 127.0.0.1 sends its own name as Host
            r.before(hosts::check);
            r.before(ctx -> {
                if (MUTATING.contains(ctx.method()) && !token.accepts(ctx.header("Authorization"))) {
                    ctx.header("WWW-Authenticate", "Bearer realm=\"d2c\"");
                    throw new ApiError(401, "unauthorized", ctx.method() + " needs Authorization: Bearer <token> (the token"
                            + " is D2C_API_TOKEN, or the file " + ApiToken.FILE_NAME + " in the server's data dir)");
                }
            });
            r.exception(ApiError.class, (e, ctx) -> ctx.status(e.status()).json(e.body()));
            r.exception(SpecException.class, (e, ctx) -> {
                ApiError err = new ApiError(400, "invalid_spec", "the sweep spec is invalid", e.errors().stream()
                        .map(f -> Map.of("path", f.path(), "reason", f.reason())).toList());
                ctx.status(400).json(err.body());
            });
            r.exception(SweepControl.NotFoundException.class, (e, ctx) ->
                    ctx.status(404).json(ApiError.notFound(e.what(), e.id()).body()));
            r.exception(SweepControl.ConflictException.class, (e, ctx) ->
                    ctx.status(409).json(new ApiError(409, "conflict", e.getMessage()).body()));
            r.exception(SweepService.LaunchException.class, (e, ctx) ->
                    ctx.status(503).json(new ApiError(503, "unavailable", e.getMessage()).body()));
            r.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).json(new ApiError(500, "internal", "internal error; see the server log").body());
            });
            // Javalin's own 4xx (no route, wrong method, body too large) in our error shape too.
            r.exception(HttpResponseException.class, (e, ctx) -> {
                String code = switch (e.getStatus()) {
                    case 404 -> "not_found";
                    case 405 -> "method_not_allowed";
                    case 413 -> "too_large";
                    default -> "http_" + e.getStatus();
                };
                String message = e.getStatus() == 404 ? "no route " + ctx.method() + " " + ctx.path()
                        : e.getStatus() == 413 ? "request body over " + MAX_BODY_BYTES + " bytes" : e.getMessage();
                ctx.status(e.getStatus()).json(new ApiError(e.getStatus(), code, message).body());
            });
            routes.register(r);
            ApiDocs.register(r);
        });
        app.start(host, port);
        return new ApiServer(app, host, routes.registered());
    }

    public int port() {
        return app.port();
    }

    public String baseUrl() {
        return "http://" + host + ":" + port();
    }

    @Override
    public void close() {
        app.stop();
    }

}
