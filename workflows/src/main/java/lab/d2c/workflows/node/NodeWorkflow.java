package lab.d2c.workflows.node;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** One graph node. Its workflow id is the node key: one execution per key. */
@WorkflowInterface
public interface NodeWorkflow {

    @WorkflowMethod
    NodeResult run(NodeTask task);
}
