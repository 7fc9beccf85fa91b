package lab.d2c.workflows.sweep;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.workflows.experiment.ExperimentOutcome;
import lab.d2c.workflows.experiment.ExperimentRequest;
import lab.d2c.workflows.experiment.ExperimentWorkflow;
import lab.d2c.workflows.node.Failures;
import lab.d2c.workflows.node.LedgerActivities;
import lab.d2c.workflows.node.NodeActivityOptions;

/** Starts all arms at once; the sweep succeeds when every arm does. */
public final class SweepWorkflowImpl implements SweepWorkflow {

    private final LedgerActivities ledger = Workflow.newActivityStub(LedgerActivities.class, NodeActivityOptions.ledger());

    @Override
    public String run(SweepRequest request) {
        ledger.sweepStatus(request.sweepId(), "RUNNING", null);
        List<Promise<ExperimentOutcome>> arms = new ArrayList<>();
        for (ExperimentRequest exp : request.experiments()) {
            ExperimentWorkflow child = Workflow.newChildWorkflowStub(ExperimentWorkflow.class, ChildWorkflowOptions.newBuilder()
                    .setWorkflowId(ExperimentRequest.workflowId(exp.experimentId()))
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                    .build());
            arms.add(Async.function(child::run, exp));
        }
        int failed = 0;
        String firstError = null;
        try {
            for (Promise<ExperimentOutcome> arm : arms) {
                try {
                    ExperimentOutcome outcome = arm.get();
                    if (!"SUCCEEDED".equals(outcome.status())) {
                        failed++;
                        firstError = firstError == null ? outcome.error() : firstError;
                    }
                } catch (CanceledFailure e) {
                    throw e;
                } catch (RuntimeException e) {
                    failed++;
                    firstError = firstError == null ? Failures.rootMessage(e) : firstError;
                }
            }
        } catch (CanceledFailure e) {
            Workflow.newDetachedCancellationScope(() -> ledger.sweepStatus(request.sweepId(), "CANCELLED", "cancelled")).run();
            throw e;
        }
        String status = failed == 0 ? "SUCCEEDED" : "FAILED";
        String error = failed == 0 ? null : failed + " of " + arms.size() + " arms failed; first: " + firstError;
        ledger.sweepStatus(request.sweepId(), status, error);
        return status;
    }
}
