package lab.d2c.workflows.node;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import lab.d2c.workflows.graph.GraphNode;

/**
 * Bookkeeping in PostgreSQL, the source of truth for what exists and should be running.
 * Workflows cannot do I/O themselves, so they call these.
 */
@ActivityInterface
public interface LedgerActivities {

    /**
     * Registers the node if new and links it to the experiment.
     *
     * @return the stored result when the node already succeeded (a cache hit), else null
     */
    @ActivityMethod
    NodeResult claimNode(String experimentId, GraphNode node);

    /**
     * Waits for a node whose workflow another requester started, and records the cache hit.
     */
    @ActivityMethod
    NodeResult awaitNode(String experimentId, String nodeKey);

    @ActivityMethod
    void nodeFinished(String nodeKey, String status, String error);

    @ActivityMethod
    void experimentStatus(String experimentId, String status, String error);

    @ActivityMethod
    void sweepStatus(String sweepId, String status, String error);

    /**
     * Sets a sweep's final status from the recorded status of every one of its arms (not only
     * those its last run started: a resumed arm finishes a sweep whose other arms ended earlier):
     * FAILED if an arm failed or never finished, else CANCELLED if one was cancelled, else SUCCEEDED.
     *
     * @return that status
     */
    @ActivityMethod
    String finishSweep(String sweepId);
}
