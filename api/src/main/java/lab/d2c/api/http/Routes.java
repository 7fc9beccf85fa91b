package lab.d2c.api.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import lab.d2c.api.platform.Platform;
import lab.d2c.api.sweep.SweepControl;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.store.artifact.ArtifactInfo;
import lab.d2c.store.artifact.ArtifactKeys;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.ExperimentQuery;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentSearch;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.LinkedNode;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The /api/v1 routes. Path parameters are validated before they reach a query. */
final class Routes {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final Platform platform;
    private final SweepService sweepService;
    private final SweepRepository sweeps;
    private final ExperimentRepository experiments;
    private final NodeRepository nodes;
    private final MetricsRepository metrics;
    private final lab.d2c.api.report.ReportService reports;
    private final lab.d2c.api.report.plot.PlotService plots;
    private final SweepControl control;
    private final ExperimentSearch search;
    private final SweepBundle bundles;

    Routes(Platform platform, SweepService sweepService) {
        this.platform = platform;
        this.sweepService = sweepService;
        var ds = platform.database().dataSource();
        this.sweeps = new SweepRepository(ds);
        this.experiments = new ExperimentRepository(ds);
        this.nodes = new NodeRepository(ds);
        this.metrics = new MetricsRepository(ds);
        this.reports = new lab.d2c.api.report.ReportService(ds, platform.artifacts());
        this.plots = new lab.d2c.api.report.plot.PlotService(ds, platform.artifacts(), reports);
        this.control = new SweepControl(sweepService);
        this.search = new ExperimentSearch(ds);
        this.bundles = new SweepBundle(experiments, nodes, metrics, platform.artifacts());
    }

    /** A registered route: method and Javalin path. */
    record Route(HandlerType method, String path) {
    }

    private final List<Route> registered = new ArrayList<>();

    /** Declares the routes in Javalin's config block; {@link #registered} lists them for the OpenAPI check. */
    void register(RoutesConfig app) {
        add(app, HandlerType.GET, "/api/v1/health", ctx -> ctx.json(Map.of("status", "ok")));
        add(app, HandlerType.GET, "/api/v1/openapi.json", ctx -> ctx.contentType("application/json").result(OpenApi.json()));
        add(app, HandlerType.POST, "/api/v1/sweeps", this::createSweep);
        add(app, HandlerType.GET, "/api/v1/sweeps", this::listSweeps);
        add(app, HandlerType.GET, "/api/v1/sweeps/{id}", this::getSweep);
        add(app, HandlerType.PATCH, "/api/v1/sweeps/{id}", this::annotateSweep);
        add(app, HandlerType.GET, "/api/v1/sweeps/{id}/report", this::getReport);
        add(app, HandlerType.GET, "/api/v1/sweeps/{id}/report.csv", this::getReportCsv);
        add(app, HandlerType.GET, "/api/v1/sweeps/{id}/plots", this::listPlots);
        add(app, HandlerType.GET, "/api/v1/sweeps/{id}/plots.zip", this::getPlotsZip);
        add(app, HandlerType.GET, "/api/v1/sweeps/{id}/plots/{name}.png", this::getPlot);
        add(app, HandlerType.GET, "/api/v1/sweeps/{id}/bundle.zip", this::getBundle);
        add(app, HandlerType.POST, "/api/v1/sweeps/{id}/cancel", ctx -> accepted(ctx, control.cancelSweep(id(ctx, "id"))));
        add(app, HandlerType.POST, "/api/v1/sweeps/{id}/rerun-failed", ctx -> accepted(ctx, control.rerunFailed(id(ctx, "id"))));
        add(app, HandlerType.GET, "/api/v1/experiments", this::findExperiments);
        add(app, HandlerType.GET, "/api/v1/experiments/{id}", this::getExperiment);
        add(app, HandlerType.PATCH, "/api/v1/experiments/{id}", this::annotateExperiment);
        add(app, HandlerType.POST, "/api/v1/experiments/{id}/cancel", ctx -> accepted(ctx, control.cancelExperiment(id(ctx, "id"))));
        add(app, HandlerType.POST, "/api/v1/experiments/{id}/resume", ctx -> accepted(ctx, control.resumeExperiment(id(ctx, "id"))));
        add(app, HandlerType.GET, "/api/v1/nodes/{key}", this::getNode);
        add(app, HandlerType.GET, "/api/v1/runs/{id}/metrics", this::getMetrics);
        add(app, HandlerType.GET, "/api/v1/runs/{id}/metrics.csv", this::getMetricsCsv);
        add(app, HandlerType.GET, "/api/v1/artifacts/<key>", this::getArtifact);
    }

    /** What {@link #register} added. */
    List<Route> registered() {
        return List.copyOf(registered);
    }

    private void add(RoutesConfig app, HandlerType method, String path, io.javalin.http.Handler handler) {
        app.addHttpHandler(method, path, handler);
        registered.add(new Route(method, path));
    }

    private static String id(Context ctx, String name) {
        String v = ctx.pathParam(name);
        if (!ID.matcher(v).matches()) {
            throw new ApiError(400, "bad_request", "path parameter '" + name + "': expected letters, digits, '.', '_' "
                    + "or '-' (at most 200), got '" + abbreviate(v) + "'",
                    List.of(Map.of("path", name, "reason", "invalid identifier")));
        }
        return v;
    }

    private static String abbreviate(String s) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 60 ? clean.substring(0, 60) + "..." : clean;
    }

    private static int intParam(Context ctx, String name, int dflt, int min, int max) {
        String v = ctx.queryParam(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiError(400, "bad_request", "query parameter '" + name + "' must be an integer in [" + min + ", " + max + "]",
                    List.of(Map.of("path", name, "reason", "expected an integer in [" + min + ", " + max + "]")));
        }
    }

    private static void accepted(Context ctx, SweepControl.Outcome outcome) {
        ctx.status(202).json(Map.of("action", outcome.action(), "target", outcome.target(),
                "experiments", outcome.experiments(), "nodes_cancelled", outcome.nodesCancelled()));
    }

    private void createSweep(Context ctx) {
        String body = BodyLimit.readUtf8(ctx, ApiServer.MAX_BODY_BYTES);
        if (body.isBlank()) {
            throw new ApiError(400, "invalid_spec", "the request body must be a sweep spec (YAML or JSON)",
                    List.of(Map.of("path", "<document>", "reason", "empty body")));
        }
        SweepService.Submitted s = submit(ctx, body);
        ctx.status(s.replayed() ? 200 : 201).json(Map.of("id", s.sweepId(), "arm_count", s.experimentIds().size(),
                "experiments", s.experimentIds(), "status", "PENDING", "url", "/api/v1/sweeps/" + s.sweepId()));
    }

    /**
     * Submits once per {@code Idempotency-Key} header (when there is one): a replay gets the first
     * answer's body with 200 and {@code Idempotent-Replayed: true}; the key with another body gets 422.
     */
    private SweepService.Submitted submit(Context ctx, String body) {
        String key = idempotencyKey(ctx);
        try {
            SweepService.Submitted s = sweepService.submit(body, key);
            if (s.replayed()) {
                ctx.header("Idempotent-Replayed", "true");
            }
            return s;
        } catch (SweepService.KeyReusedException e) {
            throw new ApiError(422, "idempotency_key_reused", e.getMessage(),
                    List.of(Map.of("path", IDEMPOTENCY_KEY, "reason", "already used with a different request body")));
        }
    }

    /** The {@code Idempotency-Key} header: absent (null), or 1..200 printable ASCII characters, sent once. */
    static String idempotencyKey(Context ctx) {
        List<String> values = java.util.Collections.list(ctx.req().getHeaders(IDEMPOTENCY_KEY));
        if (values.isEmpty()) {
            return null;
        }
        String reason = null;
        String v = values.get(0);
        if (values.size() > 1) {
            reason = "sent " + values.size() + " times; send it once";
        } else if (v.isEmpty() || v.length() > 200) {
            reason = "must be 1 to 200 characters, got " + v.length();
        } else if (!v.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            reason = "must be printable ASCII (0x20 to 0x7e)";
        }
        if (reason != null) {
            throw new ApiError(400, "bad_request", "header '" + IDEMPOTENCY_KEY + "': " + reason,
                    List.of(Map.of("path", IDEMPOTENCY_KEY, "reason", reason)));
        }
        return v;
    }

    private void listSweeps(Context ctx) {
        int limit = intParam(ctx, "limit", 50, 1, 500);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        List<Map<String, String>> errors = new ArrayList<>();
        List<lab.d2c.store.db.Status> statuses = FindQuery.statuses(ctx, errors);
        List<String> tags = FindQuery.tags(ctx, errors);
        if (!errors.isEmpty()) {
            throw FindQuery.invalid(errors);
        }
        List<ObjectNode> out = new ArrayList<>();
        for (SweepRecord s : sweeps.list(statuses, tags, limit, offset)) {
            out.add(Views.sweepSummary(s));
        }
        ctx.json(Map.of("sweeps", out, "total", sweeps.count(statuses, tags), "limit", limit, "offset", offset));
    }

    private void annotateSweep(Context ctx) {
        String id = id(ctx, "id");
        Annotations a = Annotations.parse(BodyLimit.readUtf8(ctx, ApiServer.MAX_BODY_BYTES));
        SweepRecord s = sweeps.annotate(id, a.tags(), a.note()).orElseThrow(() -> ApiError.notFound("sweep", id));
        ObjectNode o = ApiServer.JSON.createObjectNode().put("id", s.id());
        Views.annotations(o, s.tags(), s.note());
        ctx.json(o);
    }

    private void annotateExperiment(Context ctx) {
        String id = id(ctx, "id");
        Annotations a = Annotations.parse(BodyLimit.readUtf8(ctx, ApiServer.MAX_BODY_BYTES));
        ExperimentRecord e = experiments.annotate(id, a.tags(), a.note())
                .orElseThrow(() -> ApiError.notFound("experiment", id));
        ObjectNode o = ApiServer.JSON.createObjectNode().put("id", e.id());
        Views.annotations(o, e.tags(), e.note());
        ctx.json(o);
    }

    /** Experiments across sweeps, filtered and sorted in SQL: two statements whatever the page holds. */
    private void findExperiments(Context ctx) {
        ExperimentQuery q = FindQuery.parse(ctx);
        ExperimentSearch.Page page = search.find(q);
        List<ObjectNode> items = page.items().stream().map(m -> Views.experimentMatch(m.experiment(), m.metrics()))
                .toList();
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("items", items);
        out.put("total", page.total());
        out.put("limit", q.limit());
        out.put("offset", q.offset());
        long next = (long) q.offset() + items.size();
        out.put("next_offset", !items.isEmpty() && next < page.total() ? next : null);
        ctx.json(out);
    }

    private void getSweep(Context ctx) {
        String id = id(ctx, "id");
        SweepRecord s = sweeps.find(id).orElseThrow(() -> ApiError.notFound("sweep", id));
        List<ObjectNode> arms = new ArrayList<>();
        // every arm's nodes in one query: the sweep page polls this for all its arms
        Map<String, List<LinkedNode>> linked = nodes.listBySweep(id);
        for (ExperimentRecord e : experiments.listBySweep(id)) {
            arms.add(Views.experiment(e, linked.getOrDefault(e.id(), List.of()), false));
        }
        ctx.json(Views.sweep(s, arms));
    }

    private void getReport(Context ctx) {
        String id = id(ctx, "id");
        sweeps.find(id).orElseThrow(() -> ApiError.notFound("sweep", id));
        ctx.json(reports.report(id));
    }

    private void getReportCsv(Context ctx) {
        String id = id(ctx, "id");
        sweeps.find(id).orElseThrow(() -> ApiError.notFound("sweep", id));
        ctx.contentType("text/csv; charset=utf-8");
        String table = ctx.queryParam("table") == null ? "arms" : ctx.queryParam("table");
        if (!table.equals("arms") && !table.equals("comparisons")) {
            throw ApiError.badRequest("table must be arms or comparisons, got '" + table + "'");
        }
        boolean comparisons = table.equals("comparisons");
        ctx.header("Content-Disposition", "attachment; filename=\"" + id + (comparisons ? "-comparisons" : "-report")
                + ".csv\"");
        lab.d2c.api.report.SweepReport report = reports.report(id);
        ctx.result(comparisons ? lab.d2c.api.report.ReportCsv.renderComparisons(report)
                : lab.d2c.api.report.ReportCsv.render(report));
    }

    private void listPlots(Context ctx) {
        String id = id(ctx, "id");
        sweeps.find(id).orElseThrow(() -> ApiError.notFound("sweep", id));
        String base = "/api/v1/sweeps/" + id + "/plots/";
        ctx.json(Map.of("sweep_id", id, "zip", "/api/v1/sweeps/" + id + "/plots.zip",
                "plots", plots.list(id).stream().map(p -> Map.of("name", p.name(), "title", p.title(), "kind", p.kind(),
                        "url", base + p.name() + ".png")).toList()));
    }

    /** A plot, served as artifacts are (sandboxed, nosniff) and never cached: it follows the sweep. */
    private void getPlot(Context ctx) {
        String id = id(ctx, "id");
        String name = id(ctx, "name");
        sweeps.find(id).orElseThrow(() -> ApiError.notFound("sweep", id));
        byte[] png = plots.render(id, name).orElseThrow(() -> ApiError.notFound("plot", name));
        ArtifactMediaType.apply(ctx, name + ".png");
        ctx.header("Cache-Control", "no-cache");
        ctx.result(png);
    }

    private void getPlotsZip(Context ctx) throws java.io.IOException {
        String id = id(ctx, "id");
        sweeps.find(id).orElseThrow(() -> ApiError.notFound("sweep", id));
        java.io.ByteArrayOutputStream zip = new java.io.ByteArrayOutputStream();
        plots.zip(id, zip);
        ArtifactMediaType.sandbox(ctx);
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + id + "-plots.zip\"");
        ctx.result(zip.toByteArray());
    }

    /**
     * The sweep as one zip ({@link SweepBundle}), streamed: the report is computed first, so a failure there is
     * still a JSON error; after that the entries go out as they are read. The headers the server adds after
     * a handler are set here, as a streamed answer is already sent when that runs.
     */
    private void getBundle(Context ctx) throws java.io.IOException {
        String id = id(ctx, "id");
        SweepRecord s = sweeps.find(id).orElseThrow(() -> ApiError.notFound("sweep", id));
        lab.d2c.api.report.SweepReport report = reports.report(id);
        ArtifactMediaType.sandbox(ctx);
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "same-origin");
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("application/zip");
        ctx.header("Content-Disposition", "attachment; filename=\"" + id + "-bundle.zip\"");
        bundles.write(s, report, ctx.outputStream());
    }

    private void getExperiment(Context ctx) {
        String id = id(ctx, "id");
        ExperimentRecord e = experiments.find(id).orElseThrow(() -> ApiError.notFound("experiment", id));
        ctx.json(Views.experiment(e, nodes.listByExperiment(id), true));
    }

    private void getNode(Context ctx) {
        String key = id(ctx, "key");
        ctx.json(Views.node(nodes.find(key).orElseThrow(() -> ApiError.notFound("node", key))));
    }

    private void getMetrics(Context ctx) {
        String run = id(ctx, "id");
        String name = ctx.queryParam("name");
        Map<String, List<Map<String, Object>>> series = new java.util.TreeMap<>();
        metrics.series(run).forEach((metric, points) -> {
            if (name == null || name.equals(metric)) {
                series.put(metric, points.stream().map(p -> Map.<String, Object>of("step", p.step(), "value", p.value())).toList());
            }
        });
        ctx.json(Map.of("run", run, "series", series));
    }

    /** The series of GET /runs/{id}/metrics as CSV ({@link MetricsCsv}); an unknown run is a header alone, as there. */
    private void getMetricsCsv(Context ctx) {
        String run = id(ctx, "id");
        String name = ctx.queryParam("name");
        Map<String, List<lab.d2c.store.db.MetricPoint>> series = metrics.series(run);
        if (name != null) {
            series = series.containsKey(name) ? Map.of(name, series.get(name)) : Map.of();
        }
        ctx.contentType("text/csv; charset=utf-8");
        ctx.header("Content-Disposition", "attachment; filename=\"" + run + "-metrics.csv\"");
        ctx.result(MetricsCsv.render(series));
    }

    private void getArtifact(Context ctx) {
        String key = ctx.pathParam("key");
        try {
            ArtifactKeys.validate(key);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad_request", "artifact key: " + e.getMessage(),
                    List.of(Map.of("path", "key", "reason", e.getMessage())));
        }
        if ("true".equals(ctx.queryParam("presign"))) {
            ArtifactInfo info = platform.artifacts().stat(key).orElseThrow(() -> ApiError.notFound("artifact", key));
            ctx.json(Map.of("key", key, "url", platform.artifacts().presign(key, Duration.ofMinutes(15)),
                    "expires_in_s", 900, "size_bytes", info.sizeBytes()));
            return;
        }
        // one GET for the headers and the body: a key overwritten between a stat and a get (a node's
        // checkpoints/latest.json) would otherwise be sent with the old length and come out cut
        ArtifactStore.OpenedArtifact opened = platform.artifacts().open(key)
                .orElseThrow(() -> ApiError.notFound("artifact", key));
        ArtifactInfo info = opened.info();
        InputStream in = opened.content();
        ctx.header("Content-Length", String.valueOf(info.sizeBytes()));
        if (info.sha256() != null) {
            ctx.header("X-Checksum-Sha256", info.sha256());
        }
        ArtifactMediaType.apply(ctx, key);
        ctx.result(in);
    }
}
