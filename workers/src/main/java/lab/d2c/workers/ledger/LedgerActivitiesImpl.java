package lab.d2c.workers.ledger;

import io.temporal.activity.Activity;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workflows.graph.GraphNode;
import lab.d2c.workflows.ledger.LedgerActivities;
import lab.d2c.workflows.node.Failures;
import lab.d2c.workflows.node.NodeResult;
import lab.d2c.workers.node.NodeContext;

/** The ledger in PostgreSQL. */
public final class LedgerActivitiesImpl implements LedgerActivities {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LedgerActivitiesImpl.class);

    /** How long one wait for a shared node blocks before heartbeating again. */
    private static final long AWAIT_SLICE_S = 10;

    private final WorkflowClient client;
    private final NodeRepository nodes;
    private final ExperimentRepository experiments;
    private final SweepRepository sweeps;
    private final RunEndListener ended;

    public LedgerActivitiesImpl(WorkflowClient client, NodeRepository nodes, ExperimentRepository experiments,
            SweepRepository sweeps) {
        this(client, nodes, experiments, sweeps, RunEndListener.NONE);
    }

    /** @param ended told after a sweep's or an experiment's final status is written */
    public LedgerActivitiesImpl(WorkflowClient client, NodeRepository nodes, ExperimentRepository experiments,
            SweepRepository sweeps, RunEndListener ended) {
        this.client = client;
        this.nodes = nodes;
        this.experiments = experiments;
        this.sweeps = sweeps;
        this.ended = ended;
    }

    @Override
    public NodeResult claimNode(String experimentId, GraphNode node) {
        NodeRecord rec = nodes.register(NodeRecord.pending(node.key(), node.kind(), node.configJson(),
                NodeContext.toJson(node.inputKeys()), node.codeVersion()));
        boolean hit = rec.status() == Status.SUCCEEDED;
        nodes.linkExperiment(experimentId, node.key(), hit);
        return hit ? toResult(rec).asCacheHit() : null;
    }

    @Override
    public NodeResult awaitNode(String experimentId, String nodeKey) {
        nodes.linkExperiment(experimentId, nodeKey, true);
        WorkflowStub stub = client.newUntypedWorkflowStub(nodeKey, Optional.empty(), Optional.empty());
        while (true) {
            Optional<NodeRecord> rec = nodes.find(nodeKey);
            if (rec.isPresent() && rec.get().status() == Status.SUCCEEDED) {
                return toResult(rec.get()).asCacheHit();
            }
            try {
                return stub.getResult(AWAIT_SLICE_S, TimeUnit.SECONDS, NodeResult.class).asCacheHit();
            } catch (TimeoutException e) {
                Activity.getExecutionContext().heartbeat(nodeKey);
            } catch (WorkflowFailedException e) {
                throw ApplicationFailure.newNonRetryableFailure("shared node " + nodeKey + " failed: "
                        + Failures.rootMessage(e), "NodeFailed");
            }
        }
    }

    @Override
    public void nodeFinished(String nodeKey, String status, String error) {
        if (Status.valueOf(status) == Status.CANCELLED) {
            nodes.markCancelled(nodeKey);
        } else {
            nodes.markFailed(nodeKey, error);
        }
    }

    @Override
    public void experimentStatus(String experimentId, String status, String error) {
        experiments.updateStatus(experimentId, Status.valueOf(status), error);
        if (Status.valueOf(status).isTerminal()) {
            tell(() -> experiments.find(experimentId).ifPresent(ended::experimentEnded));
        }
    }

    @Override
    public void sweepStatus(String sweepId, String status, String error) {
        sweeps.updateStatus(sweepId, Status.valueOf(status), error);
        if (Status.valueOf(status).isTerminal()) {
            tell(() -> sweeps.find(sweepId).ifPresent(ended::sweepEnded));
        }
    }

    @Override
    public String finishSweep(String sweepId) {
        var arms = experiments.listBySweep(sweepId);
        long failed = arms.stream().filter(e -> e.status() == Status.FAILED).count();
        long cancelled = arms.stream().filter(e -> e.status() == Status.CANCELLED).count();
        long unfinished = arms.stream().filter(e -> !e.status().isTerminal()).count();
        Status status = failed + unfinished > 0 ? Status.FAILED : cancelled > 0 ? Status.CANCELLED : Status.SUCCEEDED;
        String error = null;
        if (status != Status.SUCCEEDED) {
            java.util.List<String> parts = new java.util.ArrayList<>();
            if (failed > 0) {
                parts.add(failed + " of " + arms.size() + " arms failed");
            }
            if (cancelled > 0) {
                parts.add(cancelled + " of " + arms.size() + " arms cancelled");
            }
            if (unfinished > 0) {
                parts.add(unfinished + " of " + arms.size() + " arms did not finish");
            }
            String first = arms.stream().filter(e -> e.status() != Status.SUCCEEDED && e.error() != null)
                    .map(e -> e.id() + ": " + e.error()).findFirst().orElse("");
            error = String.join(", ", parts) + (first.isEmpty() ? "" : "; first: " + first);
        }
        sweeps.updateStatus(sweepId, status, error);
        tell(() -> sweeps.find(sweepId).ifPresent(ended::sweepEnded));
        return status.name();
    }

    /** The status is written; whatever the listener does wrong must not fail (and so retry) the activity. */
    private static void tell(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("telling the end of a run failed: {}", e.toString());
        }
    }

    private static NodeResult toResult(NodeRecord rec) {
        return new NodeResult(rec.key(), rec.kind(), rec.artifactKeys(), rec.resultJson(), false);
    }
}
