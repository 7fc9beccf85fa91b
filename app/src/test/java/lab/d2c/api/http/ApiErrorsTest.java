package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.store.db.SweepRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Bad requests get a 4xx in the one error shape, name the field, and launch nothing. */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class ApiErrorsTest {

    private static LocalRuntime rt;
    private static String base;

    @BeforeAll
    static void start() {
        // No worker: nothing here may run, and nothing should be launched anyway.
        rt = LocalRuntime.start(LocalStackFixture.freshConfig("errors"), false, 1, LocalStackFixture.quiet());
        base = rt.api().baseUrl() + "/api/v1";
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    private static long sweepCount() {
        return new SweepRepository(rt.platform().database().dataSource()).count();
    }

    private static void assertErrorShape(Http.Response r, int status) {
        assertThat(r.status()).isEqualTo(status);
        JsonNode err = r.json().get("error");
        assertThat(err.get("status").asInt()).isEqualTo(status);
        assertThat(err.get("code").asText()).isNotBlank();
        assertThat(err.get("message").asText()).isNotBlank();
        assertThat(err.get("fields").isArray()).isTrue();
    }

    @Test
    void invalidSpecsGet400WithFieldPathsAndLaunchNothing() throws Exception {
        long before = sweepCount();
        List<String> bad = List.of(
                "",
                "name: [unclosed",
                "{\"name\": \"x\", \"preset\": ",
                "name: ok\npreset: tiny\nbogus: 1\n",
                "name: ok\npreset: tiny\nparameters:\n  data.image_size:\n    values: []\n",
                "name: ok\npreset: tiny\nparameters:\n  data.image_size:\n    values: [16, \"big\"]\n",
                "name: ok\npreset: nosuch\n",
                "- just\n- a list\n");
        List<String> paths = new ArrayList<>();
        for (String body : bad) {
            Http.Response r = Http.post(base + "/sweeps", body, "application/yaml", rt.apiToken().value());
            assertErrorShape(r, 400);
            assertThat(r.json().get("error").get("fields")).as(body).isNotEmpty();
            r.json().get("error").get("fields").forEach(f -> paths.add(f.get("path").asText()));
        }
        assertThat(paths).contains("bogus", "parameters.data.image_size.values", "parameters.data.image_size.values[1]", "preset");
        assertThat(sweepCount()).isEqualTo(before);
    }

    @Test
    void gridOverTheCapIsRefused() throws Exception {
        StringBuilder spec = new StringBuilder("name: huge\npreset: tiny\nparameters:\n");
        for (String key : List.of("data.train_size", "data.test_size", "data.seed")) {
            spec.append("  ").append(key).append(":\n    values: [");
            for (int i = 1; i <= 10; i++) {
                spec.append(i).append(i < 10 ? ", " : "]\n");
            }
        }
        Http.Response r = Http.post(base + "/sweeps", spec.toString(), "application/yaml", rt.apiToken().value());
        assertErrorShape(r, 400);
        assertThat(r.json().toString()).contains("1000");
    }

    @Test
    void unknownThingsAre404AndBadIdentifiers400() throws Exception {
        assertErrorShape(Http.get(base + "/sweeps/no-such-sweep"), 404);
        assertErrorShape(Http.get(base + "/experiments/nope"), 404);
        assertErrorShape(Http.get(base + "/nodes/nope"), 404);
        assertErrorShape(Http.get(base + "/nowhere"), 404);
        assertErrorShape(Http.get(base + "/artifacts/nodes/none.json"), 404);
        assertErrorShape(Http.get(base + "/sweeps/%2e%2e%2fetc"), 400);
        assertErrorShape(Http.get(base + "/artifacts/a/%2e%2e/b"), 400);
        assertErrorShape(Http.get(base + "/sweeps?limit=100000"), 400);
        assertThat(Http.get(base + "/runs/nothing-here/metrics").json().get("series").size()).isZero();
    }

    @Test
    void metricsOfARunAreServedBySeries() throws Exception {
        var metrics = new lab.d2c.store.db.MetricsRepository(rt.platform().database().dataSource());
        metrics.upsert("run-x", "loss", 0, 2.0);
        metrics.upsert("run-x", "loss", 1, 1.5);
        metrics.upsert("run-x", "lr", 0, 1e-4);
        JsonNode s = Http.get(base + "/runs/run-x/metrics").json().get("series");
        assertThat(s.get("loss")).hasSize(2);
        assertThat(s.get("loss").get(1).get("value").asDouble()).isEqualTo(1.5);
        assertThat(Http.get(base + "/runs/run-x/metrics?name=lr").json().get("series").size()).isEqualTo(1);
    }
}
