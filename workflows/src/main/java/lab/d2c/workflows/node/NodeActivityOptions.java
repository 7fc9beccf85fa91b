package lab.d2c.workflows.node;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.activity.ActivityCancellationType;
import java.time.Duration;

/** Timeouts and retries of node and ledger activities. */
public final class NodeActivityOptions {

    /** A node activity that misses heartbeats this long is presumed lost and retried elsewhere. */
    public static final Duration NODE_HEARTBEAT = Duration.ofSeconds(60);

    /** How often a running node's heartbeat reaches Temporal at most, and so how soon it sees a cancel. */
    public static final Duration CANCEL_CHECK = Duration.ofSeconds(3);

    /** Error type names that mean "the input is wrong": retrying cannot help. */
    public static final String BAD_INPUT = "BadNodeInput";

    private NodeActivityOptions() {
    }

    /**
     * The task queue node work runs on, derived from the workflow's queue. Node activities
     * get their own queue so that a worker's few slots for heavy work are never taken by
     * the many light ledger and await activities.
     */
    public static String nodeQueue(String workflowQueue) {
        return workflowQueue + "-nodes";
    }

    public static ActivityOptions node(String workflowQueue) {
        return node(workflowQueue, NODE_HEARTBEAT);
    }

    /** @param heartbeat how long a node may go without a heartbeat before Temporal retries it elsewhere */
    public static ActivityOptions node(String workflowQueue, Duration heartbeat) {
        return ActivityOptions.newBuilder()
                .setTaskQueue(nodeQueue(workflowQueue))
                .setStartToCloseTimeout(Duration.ofDays(14))
                .setHeartbeatTimeout(heartbeat)
                // A cancelled node is CANCELLED only once its activity has stopped: a resume must
                // never run beside a training that is still writing checkpoints.
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(2))
                        .setBackoffCoefficient(2.0)
                        .setMaximumInterval(Duration.ofMinutes(1))
                        .setMaximumAttempts(6)
                        .setDoNotRetry(BAD_INPUT)
                        .build())
                .build();
    }

    public static ActivityOptions ledger() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(30))
                // A ledger call is one short SQL write: a cancelled workflow leaves it to finish and goes on, with
                // no cancel request for it. Such a request for a call that had just completed made Temporal's Java
                // service refuse the arm's workflow task (ACTIVITY_UNKNOWN), and a cancelled arm stayed RUNNING.
                .setCancellationType(ActivityCancellationType.ABANDON)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(500))
                        .setMaximumInterval(Duration.ofSeconds(20))
                        .build())
                .build();
    }

    public static ActivityOptions await() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofDays(14))
                .setHeartbeatTimeout(Duration.ofSeconds(60))
                // As for ledger calls: a cancelled arm sends no cancel request for its wait. When a sweep is
                // cancelled, the shared node it waits on is cancelled too, so the wait often ends (failed) as the
                // request goes out; the Java service then refused the arm's workflow task and the arm stayed RUNNING
                // (seen once in RunEndWebhookTest). An abandoned wait ends at its next heartbeat, at most
                // AWAIT_SLICE_S later, when Temporal answers that its workflow is closed, or when its node ends.
                .setCancellationType(ActivityCancellationType.ABANDON)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .setDoNotRetry(BAD_INPUT)
                        .build())
                .build();
    }
}
