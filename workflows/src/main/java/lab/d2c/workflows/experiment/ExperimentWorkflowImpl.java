package lab.d2c.workflows.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.graph.ExperimentGraph;
import lab.d2c.workflows.graph.GraphNode;
import lab.d2c.workflows.graph.NodeType;
import lab.d2c.workflows.graph.NodeTypes;
import lab.d2c.workflows.ledger.LedgerActivities;
import lab.d2c.workflows.node.Failures;
import lab.d2c.workflows.node.NodeActivityOptions;
import lab.d2c.workflows.node.NodeResult;
import lab.d2c.workflows.node.NodeTask;
import lab.d2c.workflows.node.NodeWorkflow;

/**
 * Resolves every node of the arm's graph, each as soon as its inputs are ready. A node is
 * taken from the ledger when it already succeeded; otherwise it runs as a child workflow
 * whose id is its key. When another arm started that workflow first, Temporal refuses the
 * second start and this arm waits for the running one instead: one execution per key.
 */
public final class ExperimentWorkflowImpl implements ExperimentWorkflow {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LedgerActivities ledger = Workflow.newActivityStub(LedgerActivities.class, NodeActivityOptions.ledger());
    private final LedgerActivities waiter = Workflow.newActivityStub(LedgerActivities.class, NodeActivityOptions.await());
    private final List<NodeType> types;

    /** Uses every registered node type. */
    public ExperimentWorkflowImpl() {
        this(NodeTypes.ALL);
    }

    /** Uses the given node types (tests plan small graphs of their own). */
    public ExperimentWorkflowImpl(List<NodeType> types) {
        this.types = List.copyOf(types);
    }

    @Override
    public ExperimentOutcome run(ExperimentRequest request) {
        String id = request.experimentId();
        ExperimentGraph graph = ExperimentGraph.plan(parse(request.configJson()), types);
        Map<String, String> nodeKeys = new LinkedHashMap<>();
        graph.nodes().forEach(n -> nodeKeys.put(n.kind(), n.key()));
        Map<String, Integer> priorities = lab.d2c.workflows.graph.NodePriority.keys(graph);
        ledger.experimentStatus(id, "RUNNING", null);
        try {
            Map<String, Promise<NodeResult>> byKey = new LinkedHashMap<>();
            for (GraphNode node : graph.nodes()) {
                Map<String, Promise<NodeResult>> inputs = new LinkedHashMap<>();
                node.inputKeys().forEach((name, key) -> inputs.put(name, byKey.get(key)));
                int priority = priorities.get(node.key());
                byKey.put(node.key(), Async.function(() -> resolve(id, node, inputs, priority)));
            }
            for (Promise<NodeResult> p : byKey.values()) {
                p.get();
            }
            ledger.experimentStatus(id, "SUCCEEDED", null);
            return new ExperimentOutcome(id, "SUCCEEDED", null, nodeKeys);
        } catch (RuntimeException e) {
            // A cancelled arm can see its cancellation wrapped (an activity's or a child's failure).
            if (e instanceof CanceledFailure || CancellationScope.current().isCancelRequested()) {
                Workflow.newDetachedCancellationScope(() -> ledger.experimentStatus(id, "CANCELLED", "cancelled")).run();
                throw e instanceof CanceledFailure c ? c : new CanceledFailure("experiment " + id + " cancelled");
            }
            String reason = Failures.rootMessage(e);
            ledger.experimentStatus(id, "FAILED", reason);
            return new ExperimentOutcome(id, "FAILED", reason, nodeKeys);
        }
    }

    private NodeResult resolve(String experimentId, GraphNode node, Map<String, Promise<NodeResult>> inputPromises,
            int priority) {
        Map<String, NodeResult> inputs = new LinkedHashMap<>();
        inputPromises.forEach((name, p) -> inputs.put(name, p.get()));
        NodeResult cached = ledger.claimNode(experimentId, node);
        if (cached != null) {
            return cached;
        }
        NodeWorkflow child = Workflow.newChildWorkflowStub(NodeWorkflow.class, ChildWorkflowOptions.newBuilder()
                .setWorkflowId(node.key())
                .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY)
                // A node may be shared with other arms: cancelling or closing this arm must not kill it
                // for them. Who cancels a node decides that from the ledger (SweepControl in the api).
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .setCancellationType(ChildWorkflowCancellationType.ABANDON)
                // the node's activity inherits it: a free slot takes what unblocks the most work first
                .setPriority(io.temporal.common.Priority.newBuilder().setPriorityKey(priority).build())
                .build());
        try {
            return child.run(new NodeTask(node.key(), node.kind(), node.codeVersion(), node.configJson(), inputs));
        } catch (ChildWorkflowFailure e) {
            if (e.getCause() instanceof WorkflowExecutionAlreadyStarted) {
                return waiter.awaitNode(experimentId, node.key());
            }
            throw e;
        }
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalArgumentException("experiment config is not a JSON object", e);
        }
    }
}
