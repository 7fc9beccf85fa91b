package lab.d2c.workflows.node;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The one ledger record the node workflow writes itself: how a node ended when its activity failed
 * or was cancelled. The rest of the ledger ({@code lab.d2c.workflows.ledger.LedgerActivities}, which
 * extends this) serves the experiment and sweep workflows; splitting this out keeps {@code node} free
 * of the {@code ledger} package, which imports {@link NodeResult} from here. Temporal names an
 * activity type after its method ({@code NodeFinished}), not its interface, so the split renames nothing.
 */
@ActivityInterface
public interface NodeLedgerActivities {

    @ActivityMethod
    void nodeFinished(String nodeKey, String status, String error);
}
