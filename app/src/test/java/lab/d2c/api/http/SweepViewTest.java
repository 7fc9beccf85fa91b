package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.store.StoreTimings;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workflows.graph.ExperimentGraph;
import lab.d2c.workflows.graph.GraphNode;
import lab.d2c.workflows.spec.Arm;
import lab.d2c.workflows.spec.BundledSweeps;
import lab.d2c.workflows.spec.SweepSpec;
import lab.d2c.workflows.spec.SweepSpecParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * GET /sweeps/{id} is what the sweep page polls: it must carry every arm's nodes (the page makes no
 * request per arm), read them with a fixed number of statements whatever the arm count, and serve the
 * planned node count stored at submission instead of planning every arm on every read.
 *
 * <p>Sweeps here are recorded straight into PostgreSQL, arms and nodes as the engine would write them,
 * and no workflow runs them: nothing changes between the reads a test compares.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class SweepViewTest {

    /** The node fields of an arm in GET /sweeps/{id}: what sweep.js and graph.js draw. */
    private static final Set<String> SUMMARY_FIELDS = Set.of("key", "kind", "status", "attempts", "progress",
            "progress_message", "input_keys", "artifact_keys", "cache_hit");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static LocalRuntime rt;
    private static String base;
    private static DataSource ds;
    private static int recorded;

    @BeforeAll
    static void start() {
        // no node worker: nothing runs the directly recorded sweeps
        rt = LocalRuntime.start(LocalStackFixture.freshConfig("sweepview"), false, 1, LocalStackFixture.quiet());
        base = rt.api().baseUrl() + "/api/v1";
        ds = rt.platform().database().dataSource();
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    private static String smoke(int seeds) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < seeds; i++) {
            list.append(i == 0 ? "" : ", ").append(i);
        }
        String spec = BundledSweeps.read("smoke").replace("seeds: [0, 1]", "seeds: [" + list + "]");
        assertThat(spec).contains("seeds: [" + list + "]");
        return spec;
    }

    /** Records a sweep and its arms as SweepService does (planned counts stored), without starting it. */
    private static String record(String specText) throws Exception {
        SweepSpec spec = SweepSpecParser.parse(specText);
        List<Arm> arms = spec.expand(SweepSpecParser.DEFAULT_MAX_ARMS);
        String sweepId = spec.name() + "-view" + (recorded++);
        String specJson = JSON.writeValueAsString(spec);
        rt.platform().database().inTransaction(c -> {
            new SweepRepository(ds).insert(c, SweepRecord.pending(sweepId, spec.name(), specText,
                    specJson, arms.size(), "sweep-" + sweepId));
            for (Arm arm : arms) {
                String id = sweepId + "-a" + arm.index();
                new ExperimentRepository(ds).insert(c, ExperimentRecord.pending(id, sweepId, arm.index(), arm.name(),
                        arm.seed(), arm.params().toString(), arm.config().toString(), "experiment-" + id)
                        .withNodesTotal(ExperimentGraph.plan(arm.config()).nodes().size()));
            }
            return null;
        });
        return sweepId;
    }

    /**
     * As the engine would: each arm registers and links its planned nodes in order; the first half of
     * them succeed (outputs and results), the next one is running; a node an earlier arm already ran is
     * a cache hit.
     */
    private static void runHalf(String sweepId) throws Exception {
        NodeRepository nodes = new NodeRepository(ds);
        for (ExperimentRecord e : new ExperimentRepository(ds).listBySweep(sweepId)) {
            List<GraphNode> plan = ExperimentGraph.plan((com.fasterxml.jackson.databind.node.ObjectNode)
                    JSON.readTree(e.configJson())).nodes();
            for (int i = 0; i <= plan.size() / 2; i++) {
                GraphNode g = plan.get(i);
                NodeRecord r = nodes.register(NodeRecord.pending(g.key(), g.kind(), g.configJson(),
                        JSON.writeValueAsString(g.inputKeys()), g.codeVersion()));
                nodes.linkExperiment(e.id(), g.key(), r.status() == Status.SUCCEEDED);
                if (r.status() == Status.SUCCEEDED) {
                    continue;
                }
                nodes.markRunning(g.key(), "test-worker");
                if (i < plan.size() / 2) {
                    nodes.markSucceeded(g.key(), Map.of("grid", "nodes/" + g.key() + "/grid.png"), "{\"n\": " + i + "}", 10L * i);
                } else {
                    nodes.updateProgress(g.key(), 0.25, "step 5/20");
                }
            }
        }
    }

    @Test
    void eachArmOfTheSweepCarriesItsNodesAsTheExperimentViewShowsThem() throws Exception {
        String sweepId = record(smoke(2));
        runHalf(sweepId);
        JsonNode sweep = Http.get(base + "/sweeps/" + sweepId).json();
        assertThat(sweep.get("experiments")).hasSize(2);
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode arm : sweep.get("experiments")) {
            JsonNode full = Http.get(base + "/experiments/" + arm.get("id").asText()).json();
            for (String f : List.of("id", "status", "nodes_total", "nodes_done", "cache_hits", "progress", "params")) {
                assertThat(arm.get(f)).as(f).isEqualTo(full.get(f));
            }
            assertThat(arm.has("config")).as("configs stay on the experiment's own view").isFalse();
            assertThat(arm.get("nodes")).hasSameSizeAs(full.get("nodes")).isNotEmpty();
            for (int i = 0; i < full.get("nodes").size(); i++) {
                JsonNode summary = arm.get("nodes").get(i);
                JsonNode node = full.get("nodes").get(i);
                Set<String> fields = new TreeSet<>();
                summary.fieldNames().forEachRemaining(fields::add);
                assertThat(fields).isEqualTo(SUMMARY_FIELDS);
                for (String f : SUMMARY_FIELDS) {
                    assertThat(summary.get(f)).as("%s of node %d of %s", f, i, arm.get("id")).isEqualTo(node.get(f));
                }
                all.add(summary);
            }
        }
        // the comparison covered every kind of content the page draws
        assertThat(all).anySatisfy(n -> assertThat(n.get("cache_hit").asBoolean()).isTrue());
        assertThat(all).anySatisfy(n -> assertThat(n.get("cache_hit").asBoolean()).isFalse());
        assertThat(all).anySatisfy(n -> assertThat(n.get("artifact_keys").has("grid")).isTrue());
        assertThat(all).anySatisfy(n -> assertThat(n.get("input_keys").size()).isPositive());
        assertThat(all).anySatisfy(n -> {
            assertThat(n.get("status").asText()).isEqualTo("RUNNING");
            assertThat(n.get("progress").asDouble()).isEqualTo(0.25);
            assertThat(n.get("progress_message").asText()).isEqualTo("step 5/20");
        });
    }

    @Test
    void nodesTotalIsServedAsStoredAndPlannedOnlyWhereNoneIsStored() throws Exception {
        String sweepId = record(smoke(2));
        int planned = Http.get(base + "/sweeps/" + sweepId).json().at("/experiments/0/nodes_total").asInt();
        assertThat(planned).isGreaterThan(5);
        // a stored count that differs from the plan shows it is read, not planned; NULL is a row from before V2
        update("UPDATE experiments SET nodes_total = 99 WHERE id = ?", sweepId + "-a0");
        update("UPDATE experiments SET nodes_total = NULL WHERE id = ?", sweepId + "-a1");
        JsonNode sweep = Http.get(base + "/sweeps/" + sweepId).json();
        assertThat(sweep.at("/experiments/0/nodes_total").asInt()).isEqualTo(99);
        assertThat(sweep.at("/experiments/1/nodes_total").asInt()).isEqualTo(planned);
        assertThat(Http.get(base + "/experiments/" + sweepId + "-a0").json().get("nodes_total").asInt()).isEqualTo(99);
        assertThat(Http.get(base + "/experiments/" + sweepId + "-a1").json().get("nodes_total").asInt()).isEqualTo(planned);
    }

    @Test
    void aSubmittedSweepStoresEachArmsPlannedNodeCount() throws Exception {
        Http.Response r = Http.post(base + "/sweeps", smoke(2), "application/yaml", rt.apiToken().value());
        assertThat(r.status()).isEqualTo(201);
        String sweepId = r.json().get("id").asText();
        List<ExperimentRecord> arms = new ExperimentRepository(ds).listBySweep(sweepId);
        assertThat(arms).hasSize(2).allSatisfy(e -> assertThat(e.nodesTotal()).isEqualTo(ExperimentGraph.plan(
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(e.configJson())).nodes().size()));
    }

    @Test
    void readingASweepTakesAsManyStatementsForEightArmsAsForOne() throws Exception {
        String one = record(smoke(1));
        String eight = record(smoke(8));
        runHalf(one);
        runHalf(eight);
        long forOne = fewestStatements(one);
        long forEight = fewestStatements(eight);
        System.out.printf("GET /sweeps/{id}: %d SQL statements for 1 arm, %d for 8%n", forOne, forEight);
        // the sweep, its arms, all their nodes
        assertThat(forEight).isEqualTo(forOne).isLessThanOrEqualTo(3);
        assertThat(Http.get(base + "/sweeps/" + eight).json().get("experiments")).hasSize(8)
                .allSatisfy(e -> assertThat(e.get("nodes")).isNotEmpty());
    }

    /**
     * The repositories' statements during one GET, the fewest over five (the counter is process-wide:
     * the in-process workflow worker may query now and then, never fewer).
     */
    private static long fewestStatements(String sweepId) throws Exception {
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long before = StoreTimings.snapshot().sqlCalls();
            assertThat(Http.get(base + "/sweeps/" + sweepId).status()).isEqualTo(200);
            fewest = Math.min(fewest, StoreTimings.snapshot().sqlCalls() - before);
        }
        return fewest;
    }

    private static void update(String sql, String id) throws Exception {
        try (var c = ds.getConnection(); var ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }
}
