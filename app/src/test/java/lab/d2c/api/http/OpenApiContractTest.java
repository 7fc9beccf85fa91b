package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.store.db.Evaluation;
import lab.d2c.store.db.EvaluationRepository;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.MetricPoint;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workflows.spec.Arm;
import lab.d2c.workflows.spec.BundledSweeps;
import lab.d2c.workflows.spec.SweepSpec;
import lab.d2c.workflows.spec.SweepSpecParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The OpenAPI document is the server's contract: every route's real answers (successes and errors) validate against
 * the schemas the document gives for that status and media type (networknt's JSON-schema validator in its OpenAPI
 * 3.0 dialect), and every documented operation is exercised. The data: a finished smoke sweep recorded straight
 * into PostgreSQL and S3 as its nodes would leave it (scores, a loss series, a generator budget, samples), and a
 * submitted sweep that is steered (cancel, resume, rerun) with no node worker, so nothing runs between reads.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenApiContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    /** Where the registry finds the document; never fetched (the document is handed in). */
    private static final String DOC_URI = "https://d2c.invalid/api/v1/openapi.json";
    private static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

    private static LocalRuntime rt;
    private static String base;
    private static String token;
    private static DataSource ds;
    private static JsonNode doc;
    private static SchemaRegistry schemas;

    private static final String SWEEP = "contract-smoke";
    private static String experiment;
    private static String run;
    private static String artifact;
    /** "get /api/v1/sweeps/{id}" of every operation an answer with a 2xx status was validated for. */
    private static final Set<String> EXERCISED = new TreeSet<>();

    @BeforeAll
    static void start() throws Exception {
        rt = LocalRuntime.start(LocalStackFixture.freshConfig("contract"), false, 1, LocalStackFixture.quiet());
        base = rt.api().baseUrl();
        token = rt.apiToken().value();
        ds = rt.platform().database().dataSource();
        String text = new String(send("GET", "/api/v1/openapi.json", null, null, Map.of()).body(), StandardCharsets.UTF_8);
        doc = JSON.readTree(text);
        schemas = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(), b -> b.schemas(Map.of(DOC_URI, text)));
        recordFinishedSmoke();
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    /** Each seed: a train-stage2 node with a loss series and its budget, a sample node, an evaluate node. */
    private static void recordFinishedSmoke() throws Exception {
        String specText = BundledSweeps.read("smoke");
        SweepSpec spec = SweepSpecParser.parse(specText);
        List<Arm> arms = spec.expand(SweepSpecParser.DEFAULT_MAX_ARMS);
        String specJson = JSON.writeValueAsString(spec);
        rt.platform().database().inTransaction(c -> {
            new SweepRepository(ds).insert(c, SweepRecord.pending(SWEEP, spec.name(), specText, specJson,
                    arms.size(), "sweep-" + SWEEP));
            for (Arm arm : arms) {
                new ExperimentRepository(ds).insert(c, ExperimentRecord.pending(SWEEP + "-a" + arm.index(), SWEEP,
                        arm.index(), arm.name(), arm.seed(), arm.params().toString(), arm.config().toString(),
                        "experiment-" + SWEEP + "-a" + arm.index()));
            }
            return null;
        });
        NodeRepository nodes = new NodeRepository(ds);
        ExperimentRepository experiments = new ExperimentRepository(ds);
        for (ExperimentRecord e : experiments.listBySweep(SWEEP)) {
            String train = e.id() + "-train";
            succeed(nodes, e, train, "train-stage2", Map.of("checkpoint", "nodes/" + train + "/final.bin"), "{}",
                    "{\"training\": {\"steps\": 20, \"batch_size\": 16, \"items_seen\": 320, \"epochs\": 0.625,"
                            + " \"converged\": false, \"improvement\": 0.1, \"final_val_loss\": 1.5}}");
            List<MetricPoint> loss = new ArrayList<>();
            for (int step = 0; step <= 20; step += 5) {
                loss.add(new MetricPoint(train, "train/loss", step, 3.0 - 0.1 * step + e.seed()));
            }
            new MetricsRepository(ds).upsertBatch(loss);
            String sample = "nodes/" + e.id() + "-sample/samples.npy";
            rt.platform().artifacts().putBytes(sample, new byte[] {1, 2, 3}, "application/octet-stream", null);
            succeed(nodes, e, e.id() + "-sample", "sample", Map.of("samples", sample), "{\"train\": \"" + train + "\"}",
                    "{}");
            succeed(nodes, e, e.id() + "-evaluate", "evaluate", Map.of(), "{\"sample\": \"" + e.id() + "-sample\"}", "{}");
            new EvaluationRepository(ds).upsertAll(List.of(
                    new Evaluation(e.id() + "-evaluate", "fid-shapes-cls", 40.0 + 4 * e.seed(), "{}")));
            experiments.updateStatus(e.id(), Status.SUCCEEDED, null);
            experiment = e.id();
            run = train;
            artifact = sample;
        }
        new SweepRepository(ds).updateStatus(SWEEP, Status.SUCCEEDED, null);
    }

    private static void succeed(NodeRepository nodes, ExperimentRecord e, String key, String kind,
            Map<String, String> artifacts, String inputsJson, String resultJson) {
        nodes.register(NodeRecord.pending(key, kind, "{\"kind\": \"" + kind + "\"}", inputsJson, 1));
        nodes.linkExperiment(e.id(), key, false);
        nodes.markRunning(key, "test-worker");
        nodes.markSucceeded(key, artifacts, resultJson, 10L);
    }

    @Test
    @Order(1)
    void everyReadAnswersAsDocumented() throws Exception {
        // every documented GET, its path parameters filled from the recorded sweep
        for (Iterator<String> paths = doc.get("paths").fieldNames(); paths.hasNext(); ) {
            String template = paths.next();
            if (doc.get("paths").get(template).has("get")) {
                checked("get", template, fill(template), 200);
            }
        }
        // the query variants that shape the answer differently
        checked("get", "/api/v1/sweeps", "/api/v1/sweeps?status=SUCCEEDED&tag=none-yet&limit=1", 200);
        checked("get", "/api/v1/experiments", "/api/v1/experiments?sweep=" + SWEEP + "&status=SUCCEEDED&metric=" + enc("fid-shapes-cls<1000") + "&sort=fid-shapes-cls&limit=1", 200);
        checked("get", "/api/v1/experiments", "/api/v1/experiments?metric=" + enc("train/loss>=0") + "&sort=-train/loss", 200);
        checked("get", "/api/v1/sweeps/{id}/report.csv", "/api/v1/sweeps/" + SWEEP + "/report.csv?table=comparisons", 200);
        checked("get", "/api/v1/runs/{id}/metrics", "/api/v1/runs/" + run + "/metrics?name=train/loss", 200);
        checked("get", "/api/v1/runs/{id}/metrics", "/api/v1/runs/no-such-run/metrics", 200);
        checked("get", "/api/v1/artifacts/{key}", "/api/v1/artifacts/" + artifact + "?presign=true", 200);
        // errors keep the Error shape and are documented for their route
        checked("get", "/api/v1/sweeps/{id}", "/api/v1/sweeps/no-such-sweep", 404);
        checked("get", "/api/v1/sweeps/{id}", "/api/v1/sweeps/%20bad", 400);
        checked("get", "/api/v1/sweeps/{id}/report", "/api/v1/sweeps/no-such-sweep/report", 404);
        checked("get", "/api/v1/sweeps/{id}/report.csv", "/api/v1/sweeps/" + SWEEP + "/report.csv?table=nope", 400);
        checked("get", "/api/v1/sweeps/{id}/plots/{name}.png", "/api/v1/sweeps/" + SWEEP + "/plots/nothing.png", 404);
        checked("get", "/api/v1/sweeps", "/api/v1/sweeps?status=NOPE", 400);
        checked("get", "/api/v1/experiments", "/api/v1/experiments?limit=0", 400);
        checked("get", "/api/v1/experiments/{id}", "/api/v1/experiments/no-such-experiment", 404);
        checked("get", "/api/v1/nodes/{key}", "/api/v1/nodes/no-such-node", 404);
        checked("get", "/api/v1/artifacts/{key}", "/api/v1/artifacts/nodes/no-such/thing.bin", 404);
    }

    @Test
    @Order(2)
    void everyWriteAnswersAsDocumented() throws Exception {
        String spec = BundledSweeps.read("smoke");
        Map<String, String> yaml = Map.of("Content-Type", "application/yaml");
        checked("post", "/api/v1/sweeps", "/api/v1/sweeps", 401, spec, null, yaml);
        checked("post", "/api/v1/sweeps", "/api/v1/sweeps", 400, "", token, yaml);
        checked("post", "/api/v1/sweeps", "/api/v1/sweeps", 400, "name: x\nseeds: nope\n", token, yaml);
        Map<String, String> keyed = Map.of("Content-Type", "application/yaml", "Idempotency-Key", "contract-1");
        JsonNode submitted = checked("post", "/api/v1/sweeps", "/api/v1/sweeps", 201, spec, token, keyed);
        checked("post", "/api/v1/sweeps", "/api/v1/sweeps", 200, spec, token, keyed);
        checked("post", "/api/v1/sweeps", "/api/v1/sweeps", 422, spec + "\n# changed\n", token, keyed);
        String live = submitted.get("id").asText();
        String arm = submitted.get("experiments").get(0).asText();

        Map<String, String> json = Map.of("Content-Type", "application/json");
        String note = "{\"tags\": [\"contract\"], \"note\": \"checked\"}";
        checked("patch", "/api/v1/sweeps/{id}", "/api/v1/sweeps/" + SWEEP, 200, note, token, json);
        checked("patch", "/api/v1/sweeps/{id}", "/api/v1/sweeps/" + SWEEP, 401, note, null, json);
        checked("patch", "/api/v1/sweeps/{id}", "/api/v1/sweeps/no-such-sweep", 404, note, token, json);
        checked("patch", "/api/v1/experiments/{id}", "/api/v1/experiments/" + experiment, 200, note, token, json);
        checked("patch", "/api/v1/experiments/{id}", "/api/v1/experiments/" + experiment, 400, "{\"colour\": 1}", token, json);
        // the tag now shows in the read views, which still validate
        checked("get", "/api/v1/sweeps", "/api/v1/sweeps?tag=contract", 200);
        checked("get", "/api/v1/experiments/{id}", "/api/v1/experiments/" + experiment, 200);

        checked("post", "/api/v1/experiments/{id}/cancel", "/api/v1/experiments/" + experiment + "/cancel", 409, "", token, json);
        checked("post", "/api/v1/experiments/{id}/resume", "/api/v1/experiments/" + experiment + "/resume", 409, "", token, json);
        checked("post", "/api/v1/sweeps/{id}/cancel", "/api/v1/sweeps/" + SWEEP + "/cancel", 409, "", token, json);
        checked("post", "/api/v1/sweeps/{id}/rerun-failed", "/api/v1/sweeps/" + SWEEP + "/rerun-failed", 409, "", token, json);
        checked("post", "/api/v1/experiments/{id}/cancel", "/api/v1/experiments/no-such/cancel", 404, "", token, json);

        // cancel only once every arm's workflow runs: before, an arm has no workflow to tell. A whole sweep's
        // cancel settles without a node worker; one arm's waits on the nodes it shares, so it is not awaited.
        awaitSweep(live, "RUNNING");
        awaitExperiment(arm, "RUNNING");
        awaitExperiment(submitted.get("experiments").get(1).asText(), "RUNNING");
        checked("post", "/api/v1/sweeps/{id}/cancel", "/api/v1/sweeps/" + live + "/cancel", 202, "", token, json);
        awaitSweep(live, "CANCELLED");
        checked("get", "/api/v1/sweeps/{id}", "/api/v1/sweeps/" + live, 200);
        checked("post", "/api/v1/experiments/{id}/resume", "/api/v1/experiments/" + arm + "/resume", 202, "", token, json);
        awaitSweep(live, "RUNNING");
        awaitExperiment(arm, "RUNNING");
        checked("post", "/api/v1/experiments/{id}/cancel", "/api/v1/experiments/" + arm + "/cancel", 202, "", token, json);
        checked("post", "/api/v1/sweeps/{id}/cancel", "/api/v1/sweeps/" + live + "/cancel", 202, "", token, json);
        awaitSweep(live, "CANCELLED");
        checked("post", "/api/v1/sweeps/{id}/rerun-failed", "/api/v1/sweeps/" + live + "/rerun-failed", 202, "", token, json);
        awaitSweep(live, "RUNNING");
        checked("post", "/api/v1/sweeps/{id}/cancel", "/api/v1/sweeps/" + live + "/cancel", 202, "", token, json);
        awaitSweep(live, "CANCELLED");
    }

    @Test
    @Order(3)
    void everyDocumentedOperationWasExercised() {
        Set<String> documented = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(op -> {
            if (METHODS.contains(op)) {
                documented.add(op + " " + p.getKey());
            }
        }));
        assertThat(EXERCISED).as("operations whose success answer was validated").isEqualTo(documented);
    }

    /** The schemas are strict enough that a renamed, a missing or an extra field fails. */
    @Test
    @Order(4)
    void aRenamedMissingOrExtraFieldFails() throws Exception {
        JsonNode report = JSON.readTree(send("GET", "/api/v1/sweeps/" + SWEEP + "/report", null, null, Map.of()).body());
        String reportSchema = "/components/schemas/Report";
        assertThat(errors(reportSchema, report)).isEmpty();
        ObjectNode renamed = report.deepCopy();
        renamed.set("sweepId", renamed.remove("sweep_id"));
        assertThat(errors(reportSchema, renamed)).as("sweep_id renamed sweepId").isNotEmpty();

        JsonNode node = JSON.readTree(send("GET", "/api/v1/nodes/" + run, null, null, Map.of()).body());
        assertThat(errors("/components/schemas/Node", node)).isEmpty();
        ObjectNode missing = node.deepCopy();
        missing.remove("duration_ms");
        assertThat(errors("/components/schemas/Node", missing)).as("duration_ms left out").isNotEmpty();
        ObjectNode extra = node.deepCopy();
        extra.put("durationMs", 10);
        assertThat(errors("/components/schemas/Node", extra)).as("an unknown field").isNotEmpty();
    }

    /**
     * /api/docs is Swagger UI from its WebJar on this document: the page loads only this server's scripts (the
     * pages' CSP forbids inline ones), its initializer names /api/v1/openapi.json, and the WebJar's files are served.
     */
    @Test
    @Order(5)
    void theSwaggerUiPageShowsThisDocumentUnderThePagesCsp() throws Exception {
        HttpResponse<byte[]> page = send("GET", "/api/docs", null, null, Map.of());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        String html = new String(page.body(), StandardCharsets.UTF_8);
        Matcher scripts = Pattern.compile("<script([^>]*)>([^<]*)</script>").matcher(html);
        List<String> sources = new ArrayList<>();
        while (scripts.find()) {
            assertThat(scripts.group(2).strip()).as("no inline script").isEmpty();
            Matcher src = Pattern.compile("src=\"([^\"]+)\"").matcher(scripts.group(1));
            assertThat(src.find()).as("a script file: %s", scripts.group()).isTrue();
            sources.add(src.group(1));
        }
        Matcher css = Pattern.compile("href=\"(/webjars/swagger-ui/[^\"]+\\.css)\"").matcher(html);
        assertThat(css.find()).as("Swagger UI's stylesheet").isTrue();
        sources.add(css.group(1));
        assertThat(sources).contains("/api/docs/swagger-initializer.js")
                .anyMatch(src -> src.matches("/webjars/swagger-ui/[0-9.]+/swagger-ui-bundle\\.js"));
        for (String src : sources) {
            HttpResponse<byte[]> r = send("GET", src, null, null, Map.of());
            assertThat(r.statusCode()).as(src).isEqualTo(200);
            assertThat(r.body().length).as(src).isPositive();
        }
        String init = new String(send("GET", "/api/docs/swagger-initializer.js", null, null, Map.of()).body(),
                StandardCharsets.UTF_8);
        assertThat(init).contains("url: '/api/v1/openapi.json'", "SwaggerUIBundle(").doesNotContain("petstore");
    }

    // ---- helpers

    private static JsonNode checked(String method, String template, String path, int status) throws Exception {
        return checked(method, template, path, status, null, null, Map.of());
    }

    /**
     * Sends the request, asserts the status, that the operation documents it and the media type the answer has,
     * and validates a JSON answer against that response's schema.
     *
     * @return the JSON answer, or null
     */
    private static JsonNode checked(String method, String template, String path, int status, String body, String bearer,
            Map<String, String> headers) throws Exception {
        HttpResponse<byte[]> r = send(method.toUpperCase(), path, body, bearer, headers);
        String what = method.toUpperCase() + " " + path;
        String text = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(r.statusCode()).as("%s: %s", what, abbreviate(text)).isEqualTo(status);
        String opPointer = "/paths/" + escape(template) + "/" + method;
        assertThat(doc.at(opPointer).isMissingNode()).as("%s %s is documented", method, template).isFalse();
        String pointer = opPointer + "/responses/" + status;
        JsonNode response = doc.at(pointer);
        assertThat(response.isMissingNode()).as("%s: status %d is documented", what, status).isFalse();
        if (response.has("$ref")) {
            pointer = response.get("$ref").asText().substring(1);
            response = doc.at(pointer);
        }
        String type = r.headers().firstValue("Content-Type").orElse("").split(";")[0].strip().toLowerCase();
        List<String> documentedTypes = new ArrayList<>();
        response.path("content").fieldNames().forEachRemaining(documentedTypes::add);
        assertThat(documentedTypes).as("%s: the documented media types of %d", what, status).contains(type);
        JsonNode json = null;
        if (type.equals("application/json")) {
            json = JSON.readTree(r.body());
            List<String> errors = errors(pointer + "/content/application~1json/schema", json);
            assertThat(errors).as("%s (%d) against the document: %s", what, status, abbreviate(text)).isEmpty();
        }
        if (status / 100 == 2) {
            EXERCISED.add(method + " " + template);
        }
        return json;
    }

    private static List<String> errors(String pointer, JsonNode json) {
        String fragment = pointer.replace("{", "%7B").replace("}", "%7D");
        Schema schema = schemas.getSchema(SchemaLocation.of(DOC_URI + "#" + fragment));
        return schema.validate(json).stream().map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    /** A template's path parameters filled from the recorded sweep, by the collection each one names. */
    private static String fill(String template) {
        Matcher m = Pattern.compile("/([^/]+)/\\{([a-z]+)\\}").matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "sweeps" -> SWEEP;
                case "experiments" -> experiment;
                case "runs" -> run;
                case "nodes" -> run;
                case "artifacts" -> artifact;
                case "plots" -> "loss";
                default -> throw new AssertionError("no value for {" + m.group(2) + "} in " + template
                        + ": add one to OpenApiContractTest.fill");
            };
            m.appendReplacement(out, Matcher.quoteReplacement("/" + m.group(1) + "/" + value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String escape(String template) {
        return template.replace("~", "~0").replace("/", "~1");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }

    private static HttpResponse<byte[]> send(String method, String path, String body, String bearer,
            Map<String, String> headers) throws Exception {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(req::header);
        if (bearer != null) {
            req.header("Authorization", "Bearer " + bearer);
        }
        return CLIENT.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void awaitExperiment(String id, String status) throws Exception {
        await("/api/v1/experiments/" + id, status);
    }

    private static void awaitSweep(String id, String status) throws Exception {
        await("/api/v1/sweeps/" + id, status);
    }

    private static void await(String path, String status) throws Exception {
        JsonNode last = null;
        for (long end = System.nanoTime() + 120_000_000_000L; System.nanoTime() < end; Thread.sleep(300)) {
            last = JSON.readTree(send("GET", path, null, null, Map.of()).body());
            if (status.equals(last.path("status").asText())) {
                return;
            }
        }
        throw new AssertionError(path + " not " + status + " after 2 minutes: " + last);
    }
}
