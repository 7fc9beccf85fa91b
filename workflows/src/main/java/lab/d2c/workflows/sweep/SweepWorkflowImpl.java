package lab.d2c.workflows.sweep;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import lab.d2c.workflows.experiment.ExperimentOutcome;
import lab.d2c.workflows.experiment.ExperimentRequest;
import lab.d2c.workflows.experiment.ExperimentWorkflow;
import lab.d2c.workflows.ledger.LedgerActivities;
import lab.d2c.workflows.node.NodeActivityOptions;

/**
 * Starts all arms at once and waits for them; arms asked for again ({@link #rerun}) start
 * again once their previous run has ended. Then the ledger sets the sweep's status from all
 * its arms ({@link LedgerActivities#finishSweep}).
 */
public final class SweepWorkflowImpl implements SweepWorkflow {

    private final LedgerActivities ledger = Workflow.newActivityStub(LedgerActivities.class, NodeActivityOptions.ledger());
    private final List<ExperimentRequest> requested = new ArrayList<>();
    /** Reruns asked for while the arm's previous run was still ending, by experiment id. */
    private final Map<String, ExperimentRequest> afterEnd = new LinkedHashMap<>();

    @Override
    public void rerun(List<ExperimentRequest> arms) {
        requested.addAll(arms);
    }

    @Override
    public String run(SweepRequest request) {
        ledger.sweepStatus(request.sweepId(), "RUNNING", null);
        Map<String, Promise<ExperimentOutcome>> running = new LinkedHashMap<>();
        requested.addAll(0, request.experiments());
        try {
            while (true) {
                startRequested(running);
                if (running.isEmpty()) {
                    break;
                }
                Workflow.await(() -> !requested.isEmpty() || running.values().stream().anyMatch(Promise::isCompleted));
                // an arm's own workflow records how it ended; a crash of it leaves it unfinished in the ledger
                for (var it = running.entrySet().iterator(); it.hasNext();) {
                    var arm = it.next();
                    if (arm.getValue().isCompleted()) {
                        it.remove();
                        ExperimentRequest again = afterEnd.remove(arm.getKey());
                        if (again != null && !succeeded(arm.getValue())) {
                            requested.add(again);
                        }
                    }
                }
            }
        } catch (CanceledFailure e) {
            // The arms were asked to cancel with the sweep; it is CANCELLED once they have recorded it.
            Workflow.newDetachedCancellationScope(() -> {
                running.values().forEach(p -> p.handle((value, failure) -> null).get());
                ledger.sweepStatus(request.sweepId(), "CANCELLED", "cancelled");
            }).run();
            throw e;
        }
        // The ledger decides: arms outside this run (finished earlier) count too.
        return ledger.finishSweep(request.sweepId());
    }

    private void startRequested(Map<String, Promise<ExperimentOutcome>> running) {
        Set<String> startedNow = new HashSet<>();
        for (ExperimentRequest exp : requested) {
            if (startedNow.contains(exp.experimentId())) {
                continue; // asked twice at once (signal-with-start sends the arm as input and as signal)
            }
            if (running.containsKey(exp.experimentId())) {
                // Its previous run is still ending: a cancelled arm records CANCELLED before its workflow
                // has completed, so a rerun can arrive in between. Start it again once that run has ended,
                // unless it ended SUCCEEDED.
                afterEnd.put(exp.experimentId(), exp);
                continue;
            }
            startedNow.add(exp.experimentId());
            ExperimentWorkflow child = Workflow.newChildWorkflowStub(ExperimentWorkflow.class, ChildWorkflowOptions.newBuilder()
                    .setWorkflowId(ExperimentRequest.workflowId(exp.experimentId()))
                    .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                    .build());
            running.put(exp.experimentId(), Async.function(child::run, exp));
        }
        requested.clear();
    }

    private static boolean succeeded(Promise<ExperimentOutcome> ended) {
        return ended.handle((outcome, failure) -> outcome != null && "SUCCEEDED".equals(outcome.status())).get();
    }
}
