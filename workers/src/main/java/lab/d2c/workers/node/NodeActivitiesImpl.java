package lab.d2c.workers.node;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import lab.d2c.model.data.DatasetMissingException;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.build.BuildInfo;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.workers.metrics.NodeMeters;
import lab.d2c.workflows.node.NodeActivities;
import lab.d2c.workflows.node.NodeActivityOptions;
import lab.d2c.workflows.node.NodeResult;
import lab.d2c.workflows.node.NodeTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches a node to its executor and keeps the nodes table current: RUNNING with this
 * worker's name and the attempt count, progress while it runs, then SUCCEEDED with its
 * artifacts. Errors of bad input fail the node at once; others go back to Temporal to retry.
 */
public final class NodeActivitiesImpl implements NodeActivities {

    private static final Logger LOG = LoggerFactory.getLogger(NodeActivitiesImpl.class);

    /** Progress reaches PostgreSQL at most this often per node. */
    private static final long PROGRESS_WRITE_MS = 1000;

    /** Quiet time after which a background heartbeat goes out (the timeout is 60 s). */
    private static final long KEEPALIVE_MS = 15_000;

    private final NodeExecutors executors;
    private final ArtifactStore artifacts;
    private final MetricsRepository metrics;
    private final NodeRepository nodes;
    private final String workerName;
    private final String device;
    private final FileRoots fileRoots;

    public NodeActivitiesImpl(NodeExecutors executors, ArtifactStore artifacts, MetricsRepository metrics,
            NodeRepository nodes, String workerName) {
        this(executors, artifacts, metrics, nodes, workerName, "cpu", FileRoots.DEFAULT);
    }

    /**
     * @param device    where this worker runs models: {@code cpu} or {@code gpu:N}
     * @param fileRoots the folders the files a config names may be read from
     */
    public NodeActivitiesImpl(NodeExecutors executors, ArtifactStore artifacts, MetricsRepository metrics,
            NodeRepository nodes, String workerName, String device, FileRoots fileRoots) {
        this.device = device;
        this.fileRoots = fileRoots;
        this.executors = executors;
        this.artifacts = artifacts;
        this.metrics = metrics;
        this.nodes = nodes;
        this.workerName = workerName;
        NodeMeters.declare(executors.kinds());
    }

    /** The field of every node result that names the code's git commit (lineage); not part of the node key. */
    static final String CODE_COMMIT = "code_commit";

    /**
     * The executor's result with the build's commit added, so a result says which code made it. The
     * key stays the hash of the config: a new commit does not invalidate the cache.
     */
    static ObjectNode withLineage(ObjectNode result) {
        ObjectNode stamped = result == null
                ? JsonNodeFactory.instance.objectNode() : result.deepCopy();
        stamped.put(CODE_COMMIT, BuildInfo.commit());
        return stamped;
    }

    @Override
    public NodeResult execute(NodeTask task) {
        ActivityExecutionContext activity = Activity.getExecutionContext();
        if (device.equals("cpu")) {
            // this activity thread's OpenMP team: the worker's share of the cores, not one thread per core
            lab.d2c.model.runtime.IntraOpThreads.applyToCurrentThread();
        }
        long started = System.currentTimeMillis();
        nodes.markRunning(task.key(), workerName);
        LOG.info("node {} ({}) attempt {} on {}", task.key(), task.kind(), activity.getInfo().getAttempt(), workerName);
        // Beat well inside the heartbeat timeout (D2C_NODE_HEARTBEAT_S may be short), at most every 15 s.
        java.time.Duration timeout = activity.getInfo().getHeartbeatTimeout();
        long keepalive = timeout == null || timeout.isZero() ? KEEPALIVE_MS : Math.min(KEEPALIVE_MS, timeout.toMillis() / 4);
        HeartbeatKeeper keeper = new HeartbeatKeeper(activity::heartbeat, keepalive, Map.of("progress", 0.0));
        ProgressReporter reporter = new ProgressReporter() {
            private long lastWrite;

            @Override
            public void report(double fraction, String message, Object details) {
                // Heartbeating also delivers cancellation: it throws once the node is cancelled.
                keeper.beat(details == null ? Map.of("progress", fraction, "message", message) : details);
                long now = System.currentTimeMillis();
                if (now - lastWrite >= PROGRESS_WRITE_MS || fraction >= 1.0) {
                    lastWrite = now;
                    try {
                        nodes.updateProgress(task.key(), fraction, message);
                    } catch (lab.d2c.store.StoreException e) {
                        // Progress is for display; the heartbeat carries it too. A database blip must not
                        // cost the work since the last checkpoint: the next report writes it again.
                        LOG.warn("node {}: progress not recorded ({}); training goes on", task.key(), e.getMessage());
                    }
                }
            }
        };
        // the meters' label: one of this worker's kinds, never a string a workflow made up
        String kind = executors.kinds().contains(task.kind()) ? task.kind() : "unknown";
        long startedNanos = System.nanoTime();
        NodeMeters.Outcome outcome = NodeMeters.Outcome.FAILED;
        NodeMeters.started(kind);
        try {
            NodeExecutor executor = executors.require(task.kind());
            NodeOutput out = executor.execute(new NodeContext(task, artifacts, metrics, reporter, device, fileRoots));
            String resultJson = NodeContext.toJson(withLineage(out.result()));
            long duration = System.currentTimeMillis() - started;
            nodes.markSucceeded(task.key(), out.artifacts(), resultJson, duration);
            LOG.info("node {} succeeded in {} ms", task.key(), duration);
            outcome = NodeMeters.Outcome.SUCCEEDED;
            return new NodeResult(task.key(), task.kind(), Map.copyOf(out.artifacts()), resultJson, false);
        } catch (ActivityCompletionException e) {
            outcome = NodeMeters.Outcome.CANCELLED;
            throw e;
        } catch (BadNodeInputException | DatasetMissingException | IllegalArgumentException e) {
            outcome = NodeMeters.Outcome.BAD_INPUT;
            LOG.warn("node {} has bad input: {}", task.key(), e.getMessage());
            throw ApplicationFailure.newNonRetryableFailureWithCause(e.getMessage(), NodeActivityOptions.BAD_INPUT, e);
        } catch (Exception e) {
            LOG.warn("node {} attempt failed, Temporal will retry: {}", task.key(), e.toString());
            throw Activity.wrap(e);
        } finally {
            keeper.close();
            NodeMeters.finished(kind, outcome, System.nanoTime() - startedNanos);
        }
    }
}
