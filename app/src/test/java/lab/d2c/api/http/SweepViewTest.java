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

    /** Records a sweep and its arms as SweepService does (planned keys and counts stored), without starting it. */
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
                        .withPlannedNodes(ExperimentGraph.plan(arm.config()).nodes().stream().map(GraphNode::key).toList()));
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
        assertThat(arms).allSatisfy(e -> assertThat(e.plannedNodeKeys()).isEqualTo(ExperimentGraph.plan(
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(e.configJson())).nodes().stream()
                .map(GraphNode::key).toList()));
    }

    /**
     * Cancelling an arm stops its unfinished nodes except those another unfinished arm needs: that arm's
     * planned keys as stored at submission (it links a node only once it reaches it), planned again only
     * for a row from before they were stored.
     */
    @Test
    void cancellingAnArmSparesTheNodesAnotherUnfinishedArmPlannedAsStored() throws Exception {
        for (boolean stored : new boolean[] {true, false}) {
            // a train_size of its own: no other test's (pending) arms plan these nodes
            String sweepId = record(smoke(2).replace("train_size: 512", "train_size: " + (stored ? 768 : 1024)));
            String a0 = sweepId + "-a0";
            String a1 = sweepId + "-a1";
            ExperimentRepository experiments = new ExperimentRepository(ds);
            List<String> keys0 = experiments.find(a0).orElseThrow().plannedNodeKeys();
            ExperimentRecord arm1 = experiments.find(a1).orElseThrow();
            List<String> own1 = arm1.plannedNodeKeys().stream().filter(k -> !keys0.contains(k)).toList();
            assertThat(own1).as("arm 1 has nodes of its own").isNotEmpty();
            assertThat(arm1.plannedNodeKeys()).as("and shares others").anyMatch(keys0::contains);
            // arm 1 has linked every node of its plan, none finished; arm 0 has linked none yet
            NodeRepository nodes = new NodeRepository(ds);
            for (GraphNode g : ExperimentGraph.plan((com.fasterxml.jackson.databind.node.ObjectNode)
                    JSON.readTree(arm1.configJson())).nodes()) {
                nodes.register(NodeRecord.pending(g.key(), g.kind(), g.configJson(), JSON.writeValueAsString(g.inputKeys()),
                        g.codeVersion()));
                nodes.linkExperiment(a1, g.key(), false);
            }
            experiments.updateStatus(a0, Status.RUNNING, null);
            experiments.updateStatus(a1, Status.RUNNING, null);
            // a stored plan that differs from what planning gives shows it is read, not planned
            String spared = own1.get(own1.size() - 1);
            if (stored) {
                update("UPDATE experiments SET planned_node_keys = array_append(planned_node_keys, '" + spared
                        + "') WHERE id = ?", a0);
            } else {
                update("UPDATE experiments SET planned_node_keys = NULL WHERE id = ?", a0);
            }

            Http.Response r = Http.post(base + "/experiments/" + a1 + "/cancel", "", "text/plain", rt.apiToken().value());
            assertThat(r.status()).isEqualTo(202);
            List<String> cancelled = new ArrayList<>();
            r.json().get("nodes_cancelled").forEach(k -> cancelled.add(k.asText()));
            List<String> expected = stored ? own1.subList(0, own1.size() - 1) : own1;
            assertThat(cancelled).as(stored ? "stored plan" : "planned on read").containsExactlyInAnyOrderElementsOf(expected);
            assertThat(nodes.find(spared).orElseThrow().status()).isEqualTo(stored ? Status.PENDING : Status.CANCELLED);
        }
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
