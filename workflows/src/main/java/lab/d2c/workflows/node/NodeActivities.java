package lab.d2c.workflows.node;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The work of a node, implemented by workers for every node kind. */
@ActivityInterface
public interface NodeActivities {

    /**
     * Runs the node to completion. Heartbeats progress; a retried attempt continues from
     * whatever the previous attempt left (checkpoints), never from scratch when it can help it.
     */
    @ActivityMethod
    NodeResult execute(NodeTask task);
}
