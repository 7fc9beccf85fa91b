package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.store.db.Evaluation;
import lab.d2c.store.db.EvaluationRepository;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * PATCH /sweeps/{id} and /experiments/{id} (token, validation naming each field, 404, round trip into the GET
 * views), GET /experiments (each filter, sort, pages, a bad filter named) and the sweeps list's filters.
 *
 * <p>Two sweeps are recorded straight into PostgreSQL with evaluate nodes and their FIDs, as the engine writes
 * them; no workflow runs, so nothing changes between reads.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class TagsAndFindRouteTest {

    private static LocalRuntime rt;
    private static String base;
    private static String token;
    private static DataSource ds;
    /** Arms of sweep "alpha" (fusions q-former, none, q-former; FID 80, 120, none) and "beta" (q-former, FID 95). */
    private static final List<String> ALPHA = new ArrayList<>();
    private static final List<String> BETA = new ArrayList<>();

    @BeforeAll
    static void start() {
        rt = LocalRuntime.start(LocalStackFixture.freshConfig("tagsfind"), false, 1, LocalStackFixture.quiet());
        base = rt.api().baseUrl() + "/api/v1";
        token = rt.apiToken().value();
        ds = rt.platform().database().dataSource();
        ALPHA.addAll(record("alpha", "q-former", "none", "q-former"));
        BETA.addAll(record("beta", "q-former"));
        evaluated(ALPHA.get(0), 80.0);
        evaluated(ALPHA.get(1), 120.0);
        evaluated(BETA.get(0), 95.0);
        new ExperimentRepository(ds).updateStatus(ALPHA.get(1), Status.SUCCEEDED, null);
        new SweepRepository(ds).updateStatus("beta", Status.SUCCEEDED, null);
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    private static List<String> record(String sweepId, String... fusions) {
        rt.platform().database().inTransaction(c -> {
            new SweepRepository(ds).insert(c, SweepRecord.pending(sweepId, sweepId, "name: " + sweepId + "\n", "{}",
                    fusions.length, "sweep-" + sweepId));
            for (int i = 0; i < fusions.length; i++) {
                new ExperimentRepository(ds).insert(c, ExperimentRecord.pending(sweepId + "-a" + i, sweepId, i, "arm" + i, i,
                        "{\"stage2.fusion\": \"" + fusions[i] + "\", \"stage2.sample.steps\": " + (16 << i) + "}", "{}",
                        "experiment-" + sweepId + i));
            }
            return null;
        });
        return new ExperimentRepository(ds).idsBySweep(sweepId);
    }

    private static void evaluated(String experimentId, double fid) {
        NodeRepository nodes = new NodeRepository(ds);
        String key = "eval-" + experimentId;
        nodes.register(NodeRecord.pending(key, "evaluate", "{}", "{}", 1));
        nodes.linkExperiment(experimentId, key, false);
        nodes.markRunning(key, "test-worker");
        nodes.markSucceeded(key, Map.of(), "{}", 1);
        new EvaluationRepository(ds).upsertAll(List.of(new Evaluation(key, "fid-fmnist-cls", fid, "{}")));
    }

    private static Http.Response patch(String path, String body, String withToken) throws Exception {
        return Http.send("PATCH", base + path, body, withToken);
    }

    private static JsonNode find(String query) throws Exception {
        Http.Response r = Http.get(base + "/experiments" + query);
        assertThat(r.status()).as("GET /experiments%s: %s", query, new String(r.bytes())).isEqualTo(200);
        return r.json();
    }

    private static List<String> ids(JsonNode page) {
        List<String> out = new ArrayList<>();
        page.get("items").forEach(i -> out.add(i.get("id").asText()));
        return out;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static List<String> fieldPaths(Http.Response r) {
        List<String> out = new ArrayList<>();
        r.json().at("/error/fields").forEach(f -> out.add(f.get("path").asText()));
        return out;
    }

    @Test
    void patchNeedsTheTokenAndChangesNothingWithoutIt() throws Exception {
        String id = BETA.get(0);
        for (String t : new String[] {null, "wrong-token-of-enough-length"}) {
            Http.Response r = patch("/experiments/" + id, "{\"tags\": [\"sneaky\"]}", t);
            assertThat(r.status()).isEqualTo(401);
            assertThat(patch("/sweeps/beta", "{\"note\": \"x\"}", t).status()).isEqualTo(401);
        }
        assertThat(Http.get(base + "/experiments/" + id).json().get("tags").toString()).doesNotContain("sneaky");
        assertThat(Http.get(base + "/sweeps/beta").json().get("note").asText()).doesNotContain("x");
    }

    @Test
    void invalidBodiesGet400NamingEachFieldAndUnknownIds404() throws Exception {
        String id = ALPHA.get(2);
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            many.add("\"t" + i + "\"");
        }
        Map<String, String> bodies = Map.of(
                "{\"tags\": [\"ok\", \"has space\", 3, \"" + "x".repeat(65) + "\"]}", "tags[1],tags[2],tags[3]",
                "{\"tags\": [" + String.join(",", many) + "]}", "tags",
                "{\"tags\": \"one\"}", "tags",
                "{\"note\": \"" + "n".repeat(10_001) + "\"}", "note",
                "{\"note\": 5, \"colour\": \"red\"}", "colour,note",
                "[1, 2]", "<body>",
                "{not json", "<body>",
                "{}", "<body>");
        for (Map.Entry<String, String> b : bodies.entrySet()) {
            Http.Response r = patch("/experiments/" + id, b.getKey(), token);
            assertThat(r.status()).as(b.getKey()).isEqualTo(400);
            assertThat(fieldPaths(r)).as(b.getKey()).containsExactlyInAnyOrder(b.getValue().split(","));
        }
        JsonNode after = Http.get(base + "/experiments/" + id).json();
        assertThat(after.get("tags")).isEmpty();
        assertThat(after.get("note").asText()).isEmpty();

        assertThat(patch("/experiments/no-such-arm", "{\"note\": \"x\"}", token).status()).isEqualTo(404);
        assertThat(patch("/sweeps/no-such-sweep", "{\"note\": \"x\"}", token).json().at("/error/code").asText())
                .isEqualTo("not_found");
    }

    @Test
    void tagsAndNotesRoundTripIntoTheViewsAndTheSweepsListFilters() throws Exception {
        String id = ALPHA.get(1);
        Http.Response r = patch("/experiments/" + id, "{\"tags\": [\"baseline\", \"v1:ok\", \"baseline\"], \"note\": \"FID looks high\"}", token);
        assertThat(r.status()).as(new String(r.bytes())).isEqualTo(200);
        assertThat(r.json().get("tags").toString()).isEqualTo("[\"baseline\",\"v1:ok\"]");
        // a field left out stays as it is
        assertThat(patch("/experiments/" + id, "{\"note\": \"checked twice\"}", token).status()).isEqualTo(200);
        JsonNode e = Http.get(base + "/experiments/" + id).json();
        assertThat(e.get("tags").toString()).isEqualTo("[\"baseline\",\"v1:ok\"]");
        assertThat(e.get("note").asText()).isEqualTo("checked twice");
        JsonNode arm = Http.get(base + "/sweeps/alpha").json().get("experiments").get(1);
        assertThat(arm.get("id").asText()).isEqualTo(id);
        assertThat(arm.get("tags").toString()).isEqualTo("[\"baseline\",\"v1:ok\"]");

        assertThat(patch("/sweeps/alpha", "{\"tags\": [\"paper\"], \"note\": \"the main table\"}", token).status())
                .isEqualTo(200);
        JsonNode sweep = Http.get(base + "/sweeps/alpha").json();
        assertThat(sweep.get("tags").toString()).isEqualTo("[\"paper\"]");
        assertThat(sweep.get("note").asText()).isEqualTo("the main table");

        JsonNode tagged = Http.get(base + "/sweeps?tag=paper").json();
        assertThat(tagged.get("total").asInt()).isEqualTo(1);
        assertThat(tagged.get("sweeps").get(0).get("id").asText()).isEqualTo("alpha");
        assertThat(tagged.get("sweeps").get(0).get("note").asText()).isEqualTo("the main table");
        assertThat(Http.get(base + "/sweeps?tag=paper&tag=other").json().get("total").asInt()).isZero();
        JsonNode done = Http.get(base + "/sweeps?status=SUCCEEDED").json();
        assertThat(done.get("total").asInt()).isEqualTo(1);
        assertThat(done.get("sweeps").get(0).get("id").asText()).isEqualTo("beta");
        assertThat(Http.get(base + "/sweeps?status=succeeded&status=PENDING").json().get("total").asInt()).isEqualTo(2);
        Http.Response bad = Http.get(base + "/sweeps?status=DONE");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(fieldPaths(bad)).containsExactly("status");
    }

    @Test
    void findFiltersEachWaySortsByAMetricAndPages() throws Exception {
        patch("/experiments/" + BETA.get(0), "{\"tags\": [\"fav\", \"q\"]}", token);
        patch("/experiments/" + ALPHA.get(0), "{\"tags\": [\"fav\"]}", token);

        assertThat(find("").get("total").asInt()).isEqualTo(4);
        assertThat(ids(find("?sweep=beta"))).containsExactly(BETA.get(0));
        assertThat(ids(find("?status=SUCCEEDED"))).containsExactly(ALPHA.get(1));
        assertThat(ids(find("?tag=fav"))).containsExactlyInAnyOrder(BETA.get(0), ALPHA.get(0));
        assertThat(ids(find("?tag=fav&tag=q"))).containsExactly(BETA.get(0));
        assertThat(ids(find("?params.stage2.fusion=q-former&sweep=alpha"))).containsExactlyInAnyOrder(ALPHA.get(0), ALPHA.get(2));
        assertThat(ids(find("?params.stage2.sample.steps=32"))).containsExactly(ALPHA.get(1));
        assertThat(ids(find("?metric=" + enc("fid-fmnist-cls<100") + "&sort=fid-fmnist-cls")))
                .containsExactly(ALPHA.get(0), BETA.get(0));
        assertThat(ids(find("?metric=" + enc("fid-fmnist-cls>=95") + "&metric=" + enc("fid-fmnist-cls<=120")
                + "&sort=-fid-fmnist-cls"))).containsExactly(ALPHA.get(1), BETA.get(0));
        JsonNode sorted = find("?sort=fid-fmnist-cls");
        // the arm without an FID comes last
        assertThat(ids(sorted)).containsExactly(ALPHA.get(0), BETA.get(0), ALPHA.get(1), ALPHA.get(2));
        assertThat(sorted.get("items").get(0).at("/metrics/fid-fmnist-cls").asDouble()).isEqualTo(80.0);
        assertThat(sorted.get("items").get(3).at("/metrics/fid-fmnist-cls").isNull()).isTrue();
        assertThat(sorted.get("items").get(0).has("nodes")).as("a list item carries no nodes").isFalse();
        assertThat(ids(find("?sort=-fid-fmnist-cls"))).containsExactly(ALPHA.get(1), BETA.get(0), ALPHA.get(0), ALPHA.get(2));

        JsonNode first = find("?sort=fid-fmnist-cls&limit=3");
        assertThat(first.get("total").asInt()).isEqualTo(4);
        assertThat(first.get("next_offset").asInt()).isEqualTo(3);
        JsonNode last = find("?sort=fid-fmnist-cls&limit=3&offset=" + first.get("next_offset").asInt());
        assertThat(ids(last)).containsExactly(ALPHA.get(2));
        assertThat(last.get("next_offset").isNull()).isTrue();
    }

    @Test
    void aBadFilterGets400NamingIt() throws Exception {
        Map<String, String> bad = Map.of(
                "?tags=fav", "tags",
                "?metric=" + enc("fid-fmnist-cls~100"), "metric",
                "?metric=" + enc("fid<abc"), "metric",
                "?status=DONE", "status",
                "?tag=" + enc("has space"), "tag",
                "?limit=501", "limit",
                "?sort=" + enc("-fid<3"), "sort",
                "?params." + enc("a b") + "=1", "params.a b");
        for (Map.Entry<String, String> q : bad.entrySet()) {
            Http.Response r = Http.get(base + "/experiments" + q.getKey());
            assertThat(r.status()).as(q.getKey()).isEqualTo(400);
            assertThat(fieldPaths(r)).as(q.getKey()).containsExactly(q.getValue());
            assertThat(r.json().at("/error/message").asText()).contains(q.getValue());
        }
    }
}
