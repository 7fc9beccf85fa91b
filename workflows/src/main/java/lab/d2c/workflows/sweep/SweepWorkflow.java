package lab.d2c.workflows.sweep;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Runs every arm of a sweep; arms share graph nodes by key. */
@WorkflowInterface
public interface SweepWorkflow {

    /** @return the sweep's final status */
    @WorkflowMethod
    String run(SweepRequest request);
}
