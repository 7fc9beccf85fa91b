package lab.d2c.workflows.sweep;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;
import lab.d2c.workflows.experiment.ExperimentRequest;

/** Runs every arm of a sweep; arms share graph nodes by key. */
@WorkflowInterface
public interface SweepWorkflow {

    /** @return the sweep's final status: SUCCEEDED, FAILED or CANCELLED */
    @WorkflowMethod
    String run(SweepRequest request);

    /**
     * Runs these arms again (a resume of failed or cancelled arms): an arm still running is
     * left as it is; the others start again and continue from the ledger and their checkpoints.
     * Sent with signal-with-start, so it also works after the sweep's workflow has finished.
     */
    @SignalMethod
    void rerun(List<ExperimentRequest> arms);
}
