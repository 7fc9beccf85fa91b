package lab.d2c.workflows.ledger;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import lab.d2c.workflows.graph.GraphNode;
import lab.d2c.workflows.node.NodeLedgerActivities;
import lab.d2c.workflows.node.NodeResult;

/**
 * Bookkeeping in PostgreSQL, the source of truth for what exists and should be running.
 * Workflows cannot do I/O themselves, so they call these: the experiment and sweep workflows all of
 * them, the node workflow only {@link NodeLedgerActivities#nodeFinished} (declared there so that
 * {@code node} does not import this package). Activity type names are the capitalised method names
 * ({@code ClaimNode}, {@code NodeFinished}...), so moving an interface between packages renames nothing.
 */
@ActivityInterface
public interface LedgerActivities extends NodeLedgerActivities {

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
