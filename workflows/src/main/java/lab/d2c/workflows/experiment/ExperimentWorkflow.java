package lab.d2c.workflows.experiment;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** Runs one arm's graph to the end. Rerunning it (resume) skips finished nodes by key. */
@WorkflowInterface
public interface ExperimentWorkflow {

    @WorkflowMethod
    ExperimentOutcome run(ExperimentRequest request);
}
