package lab.d2c.workflows.node;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/** Runs the node activity; records a final failure or cancellation in the ledger. */
public final class NodeWorkflowImpl implements NodeWorkflow {

    private final NodeActivities node;
    private final NodeLedgerActivities ledger = Workflow.newActivityStub(NodeLedgerActivities.class, NodeActivityOptions.ledger());

    /** With the default heartbeat timeout ({@link NodeActivityOptions#NODE_HEARTBEAT}). */
    public NodeWorkflowImpl() {
        this(NodeActivityOptions.NODE_HEARTBEAT);
    }

    /** @param heartbeat the node activity's heartbeat timeout (the worker's {@code node_heartbeat_s}) */
    public NodeWorkflowImpl(Duration heartbeat) {
        this.node = Workflow.newActivityStub(NodeActivities.class,
                NodeActivityOptions.node(Workflow.getInfo().getTaskQueue(), heartbeat));
    }

    @Override
    public NodeResult run(NodeTask task) {
        try {
            return node.execute(task);
        } catch (CanceledFailure e) {
            throw cancelled(task, e);
        } catch (ActivityFailure e) {
            // A cancelled node's activity fails with its cancellation wrapped.
            if (e.getCause() instanceof CanceledFailure || CancellationScope.current().isCancelRequested()) {
                throw cancelled(task, e.getCause() instanceof CanceledFailure c ? c : new CanceledFailure("cancelled"));
            }
            String reason = Failures.rootMessage(e);
            ledger.nodeFinished(task.key(), "FAILED", reason);
            throw ApplicationFailure.newNonRetryableFailure(task.kind() + " " + task.key() + " failed: " + reason,
                    "NodeFailed");
        }
    }

    private CanceledFailure cancelled(NodeTask task, CanceledFailure e) {
        Workflow.newDetachedCancellationScope(() -> ledger.nodeFinished(task.key(), "CANCELLED", "cancelled")).run();
        return e;
    }
}
