package lab.d2c.api.sweep;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.LinkedNode;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workflows.sweep.SweepRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steering a launched sweep: cancel a sweep or one arm, resume an arm, rerun a sweep's
 * failed cells. Nodes are shared between arms (and sweeps) by key, so a cancel stops
 * only the nodes that no other unfinished experiment's graph contains; the rest go on.
 * A resume reruns the arm's graph: finished nodes come from the ledger, unfinished ones
 * continue from their last checkpoint.
 */
public final class SweepControl {

    private static final Logger LOG = LoggerFactory.getLogger(SweepControl.class);

    private final SweepService service;
    private final WorkflowClient client;
    private final SweepRepository sweeps;
    private final ExperimentRepository experiments;
    private final NodeRepository nodes;

    public SweepControl(SweepService service) {
        this.service = service;
        this.client = service.client();
        var ds = service.database().dataSource();
        this.sweeps = new SweepRepository(ds);
        this.experiments = new ExperimentRepository(ds);
        this.nodes = new NodeRepository(ds);
    }

    /**
     * What an action did.
     *
     * @param experiments    the arms it cancelled or started again
     * @param nodesCancelled the node keys whose work it stopped
     */
    public record Outcome(String action, String target, List<String> experiments, List<String> nodesCancelled) {
    }

    /** Cancels every unfinished arm of a sweep and the nodes only they need. */
    public Outcome cancelSweep(String sweepId) {
        SweepRecord s = sweeps.find(sweepId).orElseThrow(() -> new NotFoundException("sweep", sweepId));
        if (s.status().isTerminal()) {
            throw new ConflictException("sweep '" + sweepId + "' is " + s.status() + "; only a PENDING or RUNNING sweep can be cancelled");
        }
        List<ExperimentRecord> arms = experiments.listBySweep(sweepId).stream().filter(e -> !e.status().isTerminal()).toList();
        if (!cancelWorkflow(SweepRequest.workflowId(sweepId))) {
            // No workflow to tell (the server restarted and recovery has not run): the ledger is the record.
            arms.forEach(e -> experiments.updateStatus(e.id(), Status.CANCELLED, "cancelled"));
            sweeps.updateStatus(sweepId, Status.CANCELLED, "cancelled");
        }
        return new Outcome("cancel", sweepId, ids(arms), cancelNodesOnlyNeededBy(arms));
    }

    /** Cancels one arm and the nodes no other unfinished experiment needs; the sweep's other arms go on. */
    public Outcome cancelExperiment(String experimentId) {
        ExperimentRecord e = experiment(experimentId);
        if (e.status().isTerminal()) {
            throw new ConflictException("experiment '" + experimentId + "' is " + e.status()
                    + "; only a PENDING or RUNNING experiment can be cancelled");
        }
        if (!cancelWorkflow(e.workflowId())) {
            experiments.updateStatus(e.id(), Status.CANCELLED, "cancelled");
        }
        return new Outcome("cancel", experimentId, List.of(experimentId), cancelNodesOnlyNeededBy(List.of(e)));
    }

    /** Runs a FAILED or CANCELLED arm again within its sweep. */
    public Outcome resumeExperiment(String experimentId) {
        ExperimentRecord e = experiment(experimentId);
        if (e.status() != Status.FAILED && e.status() != Status.CANCELLED) {
            throw new ConflictException("experiment '" + experimentId + "' is " + e.status()
                    + "; only a FAILED or CANCELLED experiment can be resumed");
        }
        relaunch(e.sweepId(), List.of(e));
        return new Outcome("resume", experimentId, List.of(experimentId), List.of());
    }

    /** Runs every FAILED or CANCELLED arm of a sweep again. */
    public Outcome rerunFailed(String sweepId) {
        sweeps.find(sweepId).orElseThrow(() -> new NotFoundException("sweep", sweepId));
        List<ExperimentRecord> failed = experiments.listBySweep(sweepId).stream()
                .filter(e -> e.status() == Status.FAILED || e.status() == Status.CANCELLED).toList();
        if (failed.isEmpty()) {
            throw new ConflictException("sweep '" + sweepId + "' has no FAILED or CANCELLED arm to rerun");
        }
        relaunch(sweepId, failed);
        return new Outcome("rerun-failed", sweepId, ids(failed), List.of());
    }

    private void relaunch(String sweepId, List<ExperimentRecord> arms) {
        try {
            service.relaunch(sweepId, arms);
        } catch (RuntimeException e) {
            throw new SweepService.LaunchException("could not start the sweep workflow again (is Temporal reachable?): "
                    + e.getMessage(), e);
        }
    }

    private ExperimentRecord experiment(String id) {
        return experiments.find(id).orElseThrow(() -> new NotFoundException("experiment", id));
    }

    /** @return false when there was no open workflow with that id */
    private boolean cancelWorkflow(String workflowId) {
        try {
            client.newUntypedWorkflowStub(workflowId).cancel();
            return true;
        } catch (WorkflowNotFoundException e) {
            return false;
        } catch (WorkflowException e) {
            LOG.warn("cancel of workflow {} failed: {}", workflowId, e.getMessage());
            return false;
        }
    }

    private List<String> cancelNodesOnlyNeededBy(List<ExperimentRecord> cancelled) {
        Set<String> cancelledIds = new HashSet<>(ids(cancelled));
        Set<String> neededElsewhere = new HashSet<>();
        List<ExperimentRecord> unfinished = new ArrayList<>(experiments.listByStatus(Status.RUNNING));
        unfinished.addAll(experiments.listByStatus(Status.PENDING));
        for (ExperimentRecord other : unfinished) {
            if (!cancelledIds.contains(other.id())) {
                // the keys it planned at submission: it links its nodes only as it reaches them
                neededElsewhere.addAll(PlannedNodes.keys(other));
            }
        }
        Set<String> stopped = new LinkedHashSet<>();
        for (ExperimentRecord e : cancelled) {
            for (LinkedNode n : nodes.listByExperiment(e.id())) {
                String key = n.node().key();
                if (n.node().status().isTerminal() || neededElsewhere.contains(key) || !stopped.add(key)) {
                    continue;
                }
                if (!cancelWorkflow(key)) {
                    nodes.markCancelled(key);
                }
            }
        }
        return List.copyOf(stopped);
    }

    private static List<String> ids(List<ExperimentRecord> records) {
        return records.stream().map(ExperimentRecord::id).toList();
    }

    /** The sweep or experiment does not exist. */
    public static final class NotFoundException extends RuntimeException {
        private final String what;
        private final String id;

        NotFoundException(String what, String id) {
            super(what + " '" + id + "' does not exist");
            this.what = what;
            this.id = id;
        }

        public String what() {
            return what;
        }

        public String id() {
            return id;
        }
    }

    /** The action does not fit the target's state (cancel a finished arm, resume a running one). */
    public static final class ConflictException extends RuntimeException {
        ConflictException(String message) {
            super(message);
        }
    }
}
