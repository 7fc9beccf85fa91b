package lab.d2c.workflows.sweep;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.experiment.ExperimentOutcome;
import lab.d2c.workflows.experiment.ExperimentRequest;
import lab.d2c.workflows.experiment.ExperimentWorkflow;
import lab.d2c.workflows.node.Failures;
import lab.d2c.workflows.node.LedgerActivities;
import lab.d2c.workflows.node.NodeActivityOptions;

/**
 * Starts all arms at once and waits for them; arms asked for again ({@link #rerun}) start
 * again once their previous run has ended. The sweep succeeds when every arm's last run
 * does; it is FAILED when one failed, CANCELLED when one was cancelled and none failed.
 */
public final class SweepWorkflowImpl implements SweepWorkflow {

    private final LedgerActivities ledger = Workflow.newActivityStub(LedgerActivities.class, NodeActivityOptions.ledger());
    private final List<ExperimentRequest> requested = new ArrayList<>();

    @Override
    public void rerun(List<ExperimentRequest> arms) {
        requested.addAll(arms);
    }

    @Override
    public String run(SweepRequest request) {
        ledger.sweepStatus(request.sweepId(), "RUNNING", null);
        Map<String, Promise<ExperimentOutcome>> running = new LinkedHashMap<>();
        Map<String, ExperimentOutcome> ended = new LinkedHashMap<>();
        requested.addAll(0, request.experiments());
        try {
            while (true) {
                startRequested(running, ended);
                if (running.isEmpty()) {
                    break;
                }
                Workflow.await(() -> !requested.isEmpty() || running.values().stream().anyMatch(Promise::isCompleted));
                running.entrySet().removeIf(e -> {
                    if (!e.getValue().isCompleted()) {
                        return false;
                    }
                    ended.put(e.getKey(), outcome(e.getKey(), e.getValue()));
                    return true;
                });
            }
        } catch (CanceledFailure e) {
            // The arms were asked to cancel with the sweep; it is CANCELLED once they have recorded it.
            Workflow.newDetachedCancellationScope(() -> {
                running.values().forEach(p -> p.handle((value, failure) -> null).get());
                ledger.sweepStatus(request.sweepId(), "CANCELLED", "cancelled");
            }).run();
            throw e;
        }
        long failed = ended.values().stream().filter(o -> "FAILED".equals(o.status())).count();
        long cancelled = ended.values().stream().filter(o -> "CANCELLED".equals(o.status())).count();
        String status = failed > 0 ? "FAILED" : cancelled > 0 ? "CANCELLED" : "SUCCEEDED";
        String error = null;
        if (failed + cancelled > 0) {
            String first = ended.values().stream().filter(o -> !"SUCCEEDED".equals(o.status()))
                    .map(ExperimentOutcome::error).findFirst().orElse(null);
            error = (failed > 0 ? failed + " of " + ended.size() + " arms failed" : "")
                    + (failed > 0 && cancelled > 0 ? ", " : "")
                    + (cancelled > 0 ? cancelled + " of " + ended.size() + " arms cancelled" : "") + "; first: " + first;
        }
        ledger.sweepStatus(request.sweepId(), status, error);
        return status;
    }

    private void startRequested(Map<String, Promise<ExperimentOutcome>> running, Map<String, ExperimentOutcome> ended) {
        for (ExperimentRequest exp : requested) {
            if (running.containsKey(exp.experimentId())) {
                continue;
            }
            ended.remove(exp.experimentId());
            ExperimentWorkflow child = Workflow.newChildWorkflowStub(ExperimentWorkflow.class, ChildWorkflowOptions.newBuilder()
                    .setWorkflowId(ExperimentRequest.workflowId(exp.experimentId()))
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                    .build());
            running.put(exp.experimentId(), Async.function(child::run, exp));
        }
        requested.clear();
    }

    private static ExperimentOutcome outcome(String experimentId, Promise<ExperimentOutcome> arm) {
        RuntimeException failure = arm.getFailure();
        if (failure == null) {
            return arm.get();
        }
        boolean cancelled = failure instanceof CanceledFailure
                || failure instanceof ChildWorkflowFailure && failure.getCause() instanceof CanceledFailure;
        return new ExperimentOutcome(experimentId, cancelled ? "CANCELLED" : "FAILED",
                cancelled ? "cancelled" : Failures.rootMessage(failure), Map.of());
    }
}
