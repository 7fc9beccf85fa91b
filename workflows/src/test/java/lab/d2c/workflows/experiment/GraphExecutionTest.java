package lab.d2c.workflows.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import lab.d2c.workflows.graph.GraphNode;
import lab.d2c.workflows.graph.TestNodeTypes;
import lab.d2c.workflows.ledger.LedgerActivities;
import lab.d2c.workflows.node.NodeActivities;
import lab.d2c.workflows.node.NodeActivityOptions;
import lab.d2c.workflows.node.NodeResult;
import lab.d2c.workflows.node.NodeTask;
import lab.d2c.workflows.node.NodeWorkflowImpl;
import lab.d2c.workflows.sweep.SweepRequest;
import lab.d2c.workflows.sweep.SweepWorkflow;
import lab.d2c.workflows.sweep.SweepWorkflowImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workflow logic on Temporal's test service with in-memory activities: arms share nodes by
 * key (one execution), finished nodes are never recomputed, failures stop descendants.
 */
class GraphExecutionTest {

    private static final String QUEUE = "test-q";
    private static final String BASE = "{\"seed\":%d,\"data\":{\"dataset\":\"shapes\"},\"tok\":{\"codebook\":%d},\"train\":{\"lr\":0.001}}";

    private TestWorkflowEnvironment env;
    private FakeLedger ledger;
    private FakeNodes nodes;

    @BeforeEach
    void setUp() {
        env = TestWorkflowEnvironment.newInstance();
        ledger = new FakeLedger();
        nodes = new FakeNodes(ledger);
        Worker control = env.newWorker(QUEUE);
        control.registerWorkflowImplementationTypes(SweepWorkflowImpl.class, NodeWorkflowImpl.class);
        control.registerWorkflowImplementationFactory(ExperimentWorkflow.class,
                () -> new ExperimentWorkflowImpl(TestNodeTypes.chain()));
        control.registerActivitiesImplementations(ledger);
        env.newWorker(NodeActivityOptions.nodeQueue(QUEUE)).registerActivitiesImplementations(nodes);
        env.start();
        ledger.client = env.getWorkflowClient();
    }

    @AfterEach
    void tearDown() {
        env.close();
    }

    private String runSweep(String sweepId, List<String> configs) {
        List<ExperimentRequest> arms = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            arms.add(new ExperimentRequest(sweepId + "-a" + i, configs.get(i)));
        }
        SweepWorkflow sweep = env.getWorkflowClient().newWorkflowStub(SweepWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(SweepRequest.workflowId(sweepId)).build());
        return sweep.run(new SweepRequest(sweepId, arms));
    }

    @Test
    void armsShareTheirCommonPrefixAndTheSecondRequestIsACacheHit() {
        String status = runSweep("s1", List.of(BASE.formatted(0, 64), BASE.formatted(1, 64)));

        assertThat(status).isEqualTo("SUCCEEDED");
        assertThat(nodes.runs("data")).isEqualTo(1);
        assertThat(nodes.runs("tok")).isEqualTo(1);
        assertThat(nodes.runs("train")).as("train reads the run seed").isEqualTo(2);
        for (String kind : List.of("data", "tok")) {
            long hits = ledger.links.entrySet().stream()
                    .filter(e -> e.getKey().endsWith("|" + ledger.keyOf(kind)) && e.getValue()).count();
            assertThat(hits).as("arms that got %s as a cache hit", kind).isEqualTo(1);
        }
        assertThat(ledger.experiments).containsEntry("s1-a0", "SUCCEEDED").containsEntry("s1-a1", "SUCCEEDED");
        assertThat(ledger.sweeps).containsEntry("s1", "SUCCEEDED");
    }

    @Test
    void aFinishedNodeIsNeverRecomputed() {
        runSweep("s1", List.of(BASE.formatted(0, 64)));
        int before = nodes.total.get();

        runSweep("s2", List.of(BASE.formatted(0, 64), BASE.formatted(0, 128)));

        // Only the new codebook's tok and its train ran; data and the first arm came from the cache.
        assertThat(nodes.total.get() - before).isEqualTo(2);
        assertThat(ledger.links).containsEntry("s2-a0|" + ledger.keyOf("train"), true);
    }

    @Test
    void aFailedNodeFailsItsArmAndSkipsItsDescendants() {
        nodes.failing.add("tok");
        String status = runSweep("s1", List.of(BASE.formatted(0, 64)));

        assertThat(status).isEqualTo("FAILED");
        assertThat(nodes.runs("train")).isZero();
        assertThat(ledger.experiments).containsEntry("s1-a0", "FAILED");
        assertThat(ledger.errors.get("s1-a0")).contains("tokenizer exploded");
        assertThat(ledger.nodeStatus).containsValue("FAILED");

        // Resume: once the cause is fixed, a rerun continues and reuses the finished data node.
        nodes.failing.clear();
        int dataRuns = nodes.runs("data");
        assertThat(runSweep("s1-resume", List.of(BASE.formatted(0, 64)))).isEqualTo("SUCCEEDED");
        assertThat(nodes.runs("data")).isEqualTo(dataRuns);
        assertThat(nodes.runs("tok")).isEqualTo(2);
    }

    @Test
    void aCancelledArmEndsCancelledAndARerunSentWhileTheSweepRunsFinishesIt() throws Exception {
        nodes.sleepMs.put("train", 1500L);
        // the rerun arrives while the cancelled arm's workflow is still ending (it has recorded
        // CANCELLED, not yet completed): the window in which a rerun used to be dropped
        ledger.cancelledLingerMs = 1000;
        WorkflowStub sweep = startSweep("s1", List.of(BASE.formatted(0, 64), BASE.formatted(1, 64)));
        awaitTrue(() -> "RUNNING".equals(ledger.experiments.get("s1-a1")) && nodes.runs("train") == 2);

        env.getWorkflowClient().newUntypedWorkflowStub(ExperimentRequest.workflowId("s1-a1")).cancel();
        awaitTrue(() -> "CANCELLED".equals(ledger.experiments.get("s1-a1")));
        assertThat(ledger.experiments.get("s1-a0")).as("the other arm goes on").isEqualTo("RUNNING");
        sweep.signal("rerun", List.of(new ExperimentRequest("s1-a1", BASE.formatted(1, 64))));

        assertThat(sweep.getResult(String.class)).isEqualTo("SUCCEEDED");
        assertThat(ledger.experiments).containsEntry("s1-a0", "SUCCEEDED").containsEntry("s1-a1", "SUCCEEDED");
        assertThat(nodes.runs("train")).as("the rerun waited for its abandoned train node").isEqualTo(2);
        assertThat(ledger.sweeps).containsEntry("s1", "SUCCEEDED");
    }

    @Test
    void aSweepWithACancelledArmEndsCancelledAndSignalWithStartResumesIt() throws Exception {
        nodes.sleepMs.put("train", 1500L);
        WorkflowStub sweep = startSweep("s1", List.of(BASE.formatted(0, 64), BASE.formatted(1, 64)));
        awaitTrue(() -> "RUNNING".equals(ledger.experiments.get("s1-a1")) && nodes.runs("train") == 2);
        env.getWorkflowClient().newUntypedWorkflowStub(ExperimentRequest.workflowId("s1-a1")).cancel();

        assertThat(sweep.getResult(String.class)).isEqualTo("CANCELLED");
        assertThat(ledger.sweeps).containsEntry("s1", "CANCELLED");
        assertThat(ledger.experiments).containsEntry("s1-a0", "SUCCEEDED").containsEntry("s1-a1", "CANCELLED");

        // The sweep's workflow has ended: signal-with-start runs only the arm asked for.
        List<ExperimentRequest> again = List.of(new ExperimentRequest("s1-a1", BASE.formatted(1, 64)));
        WorkflowClient client = env.getWorkflowClient();
        SweepWorkflow typed = client.newWorkflowStub(SweepWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(SweepRequest.workflowId("s1")).build());
        BatchRequest start = client.newSignalWithStartRequest();
        start.add(typed::run, new SweepRequest("s1", again));
        start.add(typed::rerun, again);
        client.signalWithStart(start);

        assertThat(WorkflowStub.fromTyped(typed).getResult(String.class)).isEqualTo("SUCCEEDED");
        assertThat(ledger.experiments).containsEntry("s1-a1", "SUCCEEDED");
        assertThat(ledger.sweeps).containsEntry("s1", "SUCCEEDED");
        assertThat(nodes.runs("data")).as("shared nodes came from the ledger").isEqualTo(1);
    }

    @Test
    void resumingOneOfTwoFailedArmsLeavesTheSweepFailedUntilBothSucceeded() {
        nodes.failing.add("train");
        assertThat(runSweep("s1", List.of(BASE.formatted(0, 64), BASE.formatted(1, 64)))).isEqualTo("FAILED");
        nodes.failing.clear();

        assertThat(resume("s1", new ExperimentRequest("s1-a1", BASE.formatted(1, 64))))
                .as("arm 0 is still FAILED in the ledger").isEqualTo("FAILED");
        assertThat(ledger.experiments).containsEntry("s1-a0", "FAILED").containsEntry("s1-a1", "SUCCEEDED");

        assertThat(resume("s1", new ExperimentRequest("s1-a0", BASE.formatted(0, 64)))).isEqualTo("SUCCEEDED");
        assertThat(ledger.sweeps).containsEntry("s1", "SUCCEEDED");
    }

    /** What the API's resume does once the sweep's workflow has ended: signal-with-start with the arm. */
    private String resume(String sweepId, ExperimentRequest arm) {
        WorkflowClient client = env.getWorkflowClient();
        SweepWorkflow typed = client.newWorkflowStub(SweepWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(SweepRequest.workflowId(sweepId)).build());
        BatchRequest start = client.newSignalWithStartRequest();
        start.add(typed::run, new SweepRequest(sweepId, List.of(arm)));
        start.add(typed::rerun, List.of(arm));
        client.signalWithStart(start);
        return WorkflowStub.fromTyped(typed).getResult(String.class);
    }

    private WorkflowStub startSweep(String sweepId, List<String> configs) {
        List<ExperimentRequest> arms = new ArrayList<>();
        for (int i = 0; i < configs.size(); i++) {
            arms.add(new ExperimentRequest(sweepId + "-a" + i, configs.get(i)));
        }
        SweepWorkflow sweep = env.getWorkflowClient().newWorkflowStub(SweepWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(SweepRequest.workflowId(sweepId)).build());
        WorkflowClient.start(sweep::run, new SweepRequest(sweepId, arms));
        return WorkflowStub.fromTyped(sweep);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 30 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The ledger in memory: node results by key, experiment links with their cache-hit flag. */
    static final class FakeLedger implements LedgerActivities {
        final Map<String, NodeResult> done = new ConcurrentHashMap<>();
        final Map<String, Boolean> links = new ConcurrentHashMap<>();
        final Map<String, String> experiments = new ConcurrentHashMap<>();
        final Map<String, String> errors = new ConcurrentHashMap<>();
        final Map<String, String> sweeps = new ConcurrentHashMap<>();
        final Map<String, String> nodeStatus = new ConcurrentHashMap<>();
        final Map<String, String> keysByKind = new ConcurrentHashMap<>();
        volatile WorkflowClient client;
        /** How long recording CANCELLED takes after the ledger shows it: holds the arm's workflow open. */
        volatile long cancelledLingerMs;

        String keyOf(String kind) {
            return keysByKind.get(kind);
        }

        @Override
        public NodeResult claimNode(String experimentId, GraphNode node) {
            keysByKind.putIfAbsent(node.kind(), node.key());
            NodeResult r = done.get(node.key());
            links.merge(experimentId + "|" + node.key(), r != null, Boolean::logicalOr);
            return r == null ? null : r.asCacheHit();
        }

        @Override
        public NodeResult awaitNode(String experimentId, String nodeKey) {
            NodeResult r = client.newUntypedWorkflowStub(nodeKey, Optional.empty(), Optional.empty())
                    .getResult(NodeResult.class);
            links.put(experimentId + "|" + nodeKey, true);
            return r.asCacheHit();
        }

        @Override
        public void nodeFinished(String nodeKey, String status, String error) {
            nodeStatus.put(nodeKey, status);
        }

        @Override
        public void experimentStatus(String experimentId, String status, String error) {
            experiments.put(experimentId, status);
            if (error != null) {
                errors.put(experimentId, error);
            }
            if ("CANCELLED".equals(status) && cancelledLingerMs > 0) {
                try {
                    Thread.sleep(cancelledLingerMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void sweepStatus(String sweepId, String status, String error) {
            sweeps.put(sweepId, status);
        }

        /** As the real ledger: from every recorded arm of the sweep (ids {@code <sweep>-a<i>}). */
        @Override
        public String finishSweep(String sweepId) {
            List<String> arms = experiments.entrySet().stream().filter(e -> e.getKey().startsWith(sweepId + "-a"))
                    .map(Map.Entry::getValue).toList();
            String status = arms.stream().anyMatch(s -> !s.equals("SUCCEEDED") && !s.equals("CANCELLED")) ? "FAILED"
                    : arms.contains("CANCELLED") ? "CANCELLED" : "SUCCEEDED";
            sweeps.put(sweepId, status);
            return status;
        }
    }

    /** Node work that takes a moment (so arms overlap) and records its results in the ledger. */
    static final class FakeNodes implements NodeActivities {
        final Map<String, AtomicInteger> perKind = new ConcurrentHashMap<>();
        final AtomicInteger total = new AtomicInteger();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final Map<String, Long> sleepMs = new ConcurrentHashMap<>();
        private final FakeLedger ledger;

        FakeNodes(FakeLedger ledger) {
            this.ledger = ledger;
        }

        int runs(String kind) {
            return perKind.getOrDefault(kind, new AtomicInteger()).get();
        }

        @Override
        public NodeResult execute(NodeTask task) {
            perKind.computeIfAbsent(task.kind(), k -> new AtomicInteger()).incrementAndGet();
            total.incrementAndGet();
            try {
                Thread.sleep(sleepMs.getOrDefault(task.kind(), 200L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failing.contains(task.kind())) {
                throw ApplicationFailure.newNonRetryableFailure("tokenizer exploded", NodeActivityOptions.BAD_INPUT);
            }
            task.inputs().values().forEach(in -> assertThat(ledger.done).containsKey(in.key()));
            NodeResult r = new NodeResult(task.key(), task.kind(), Map.of("out", "nodes/" + task.key() + "/out"), "{}", false);
            ledger.done.put(task.key(), r);
            return r;
        }
    }
}
