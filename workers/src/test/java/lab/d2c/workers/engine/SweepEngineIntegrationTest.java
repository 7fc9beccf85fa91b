package lab.d2c.workers.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.Database;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.LinkedNode;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.store.testing.TestStack;
import lab.d2c.workers.D2cWorker;
import lab.d2c.workers.stage1.Stage1Nodes;
import lab.d2c.workers.stage2.Stage2Nodes;
import lab.d2c.workers.tokenizer.TokenizerNodes;
import lab.d2c.workflows.experiment.ExperimentRequest;
import lab.d2c.workflows.sweep.SweepRequest;
import lab.d2c.workflows.sweep.SweepWorkflow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real worker (ledger + node activities) on Temporal's test service, with the real
 * embedded PostgreSQL and S3 server: two arms that differ only in the run seed share every
 * training node (each runs once, the second arm records a cache hit) and each samples with its own
 * seed; a later sweep recomputes only its own sampling nodes.
 */
class SweepEngineIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUEUE = "engine-it";

    private TestWorkflowEnvironment env;
    private D2cWorker worker;
    private Database db;
    private ArtifactStore store;

    @BeforeEach
    void setUp() {
        TestStack stack = TestStack.get();
        stack.truncateAll();
        db = stack.database();
        store = stack.artifactStore("engine");
        env = TestWorkflowEnvironment.newInstance();
        worker = D2cWorker.builder().setClient(env.getWorkflowClient()).setTaskQueue(QUEUE).setDatabase(db)
                .setArtifacts(store).optName("it-worker").start();
    }

    @AfterEach
    void tearDown() {
        worker.close();
        env.close();
    }

    /** Dataset, both tokenizers (a few steps), pretokenize and both stages: every node kind this build has. */
    private String config(long seed) {
        String vq = TokenizerNodes.vq(4, 2);
        String vae = TokenizerNodes.vae(4, 2);
        return "{\"seed\":" + seed + ",\"data\":{\"dataset\":\"shapes\",\"path\":null,\"image_size\":16,\"channels\":1,"
                + "\"num_classes\":3,\"train_size\":64,\"test_size\":16,\"seed\":1,\"shard_size\":32},"
                + vq.substring(1, vq.length() - 1) + "," + vae.substring(1, vae.length() - 1)
                + ",\"pretokenize\":{\"batch_size\":32,\"shard_size\":64},"
                + Stage1Nodes.section(4, 2, 2) + "," + Stage2Nodes.section("q-former", 4, 2) + "}";
    }

    private String runSweep(String sweepId, long... seeds) {
        SweepRepository sweeps = new SweepRepository(db.dataSource());
        ExperimentRepository exps = new ExperimentRepository(db.dataSource());
        List<ExperimentRequest> arms = new ArrayList<>();
        sweeps.insert(SweepRecord.pending(sweepId, "it", "name: it", "{}", seeds.length, SweepRequest.workflowId(sweepId)));
        for (int i = 0; i < seeds.length; i++) {
            String id = sweepId + "-a" + i;
            exps.insert(ExperimentRecord.pending(id, sweepId, i, "arm" + i, seeds[i], "{}", config(seeds[i]),
                    ExperimentRequest.workflowId(id)));
            arms.add(new ExperimentRequest(id, config(seeds[i])));
        }
        SweepWorkflow wf = env.getWorkflowClient().newWorkflowStub(SweepWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(SweepRequest.workflowId(sweepId)).build());
        return wf.run(new SweepRequest(sweepId, arms));
    }

    @Test
    void twoArmsShareOneDatasetNodeAndTheSecondIsACacheHit() throws Exception {
        assertThat(runSweep("it-1", 0, 1)).isEqualTo("SUCCEEDED");

        NodeRepository nodes = new NodeRepository(db.dataSource());
        List<LinkedNode> a0 = nodes.listByExperiment("it-1-a0");
        List<LinkedNode> a1 = nodes.listByExperiment("it-1-a1");
        assertThat(a0).extracting(l -> l.node().kind()).containsExactlyInAnyOrder("prepare-dataset", "train-vq",
                "train-vae", "pretokenize", "train-stage1", "decode-stage1", "train-stage2", "sample");
        // only decode-stage1 and sample read the run seed: the arms share the other six nodes
        List<String> a1Keys = a1.stream().map(l -> l.node().key()).toList();
        for (LinkedNode l : a0) {
            var own = l.node();
            assertThat(own.status()).as(own.kind()).isEqualTo(Status.SUCCEEDED);
            assertThat(own.attempts()).as("one execution of " + own.kind()).isEqualTo(1);
            assertThat(own.worker()).isEqualTo("it-worker");
            if (readsRunSeed(own.kind())) {
                assertThat(a1Keys).as("each arm decodes with its own seed").doesNotContain(own.key());
                assertThat(l.cacheHit()).isFalse();
                continue;
            }
            boolean otherHit = a1.stream().filter(o -> o.node().key().equals(own.key())).findFirst().orElseThrow()
                    .cacheHit();
            assertThat(List.of(l.cacheHit(), otherHit)).as(own.kind()).containsExactlyInAnyOrder(true, false);
        }
        var node = a0.stream().filter(l -> l.node().kind().equals("prepare-dataset")).findFirst().orElseThrow().node();
        assertThat(store.exists(node.artifactKeys().get("manifest"))).isTrue();
        assertThat(JSON.readTree(node.resultJson()).get("train_count").asInt()).isEqualTo(64);
        var pretokenize = a0.stream().filter(l -> l.node().kind().equals("pretokenize")).findFirst().orElseThrow().node();
        assertThat(JSON.readTree(pretokenize.resultJson()).get("images").asInt()).isEqualTo(64);

        assertThat(new SweepRepository(db.dataSource()).find("it-1").orElseThrow().status()).isEqualTo(Status.SUCCEEDED);
        assertThat(new ExperimentRepository(db.dataSource()).find("it-1-a1").orElseThrow().status()).isEqualTo(Status.SUCCEEDED);

        // A later sweep with another seed takes everything but its decode from the cache.
        assertThat(runSweep("it-2", 7)).isEqualTo("SUCCEEDED");
        assertThat(nodes.find(node.key()).orElseThrow().attempts()).isEqualTo(1);
        assertThat(nodes.listByExperiment("it-2-a0")).allSatisfy(l -> assertThat(l.cacheHit())
                .as(l.node().kind()).isEqualTo(!readsRunSeed(l.node().kind())));
    }

    private static boolean readsRunSeed(String kind) {
        return kind.equals("decode-stage1") || kind.equals("sample");
    }

    @Test
    void badInputFailsTheArmAtOnceWithTheReason() {
        SweepRepository sweeps = new SweepRepository(db.dataSource());
        ExperimentRepository exps = new ExperimentRepository(db.dataSource());
        String bad = config(0).replace("\"dataset\":\"shapes\"", "\"dataset\":\"fashion-mnist\"")
                .replace("\"path\":null", "\"path\":\"/usr/share/datasets/d2c-test-nonexistent\"");
        sweeps.insert(SweepRecord.pending("it-bad", "it", "name: it", "{}", 1, SweepRequest.workflowId("it-bad")));
        exps.insert(ExperimentRecord.pending("it-bad-a0", "it-bad", 0, "arm0", 0, "{}", bad, "experiment-it-bad-a0"));
        SweepWorkflow wf = env.getWorkflowClient().newWorkflowStub(SweepWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("sweep-it-bad").build());
        assertThat(wf.run(new SweepRequest("it-bad", List.of(new ExperimentRequest("it-bad-a0", bad))))).isEqualTo("FAILED");
        ExperimentRecord e = exps.find("it-bad-a0").orElseThrow();
        assertThat(e.status()).isEqualTo(Status.FAILED);
        assertThat(e.error()).contains("apt-get install dataset-fashion-mnist");
        LinkedNode n = new NodeRepository(db.dataSource()).listByExperiment("it-bad-a0").get(0);
        assertThat(n.node().status()).isEqualTo(Status.FAILED);
        assertThat(n.node().attempts()).as("bad input is not retried").isEqualTo(1);
    }
}
