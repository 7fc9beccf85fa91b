package lab.d2c.store.db;

import java.time.Instant;
import java.util.Objects;

/**
 * A node as one experiment asked for it.
 *
 * @param cacheHit    whether the experiment got the node's result without running it
 * @param requestedAt when the experiment first asked for it
 */
public record LinkedNode(NodeRecord node, boolean cacheHit, Instant requestedAt) {

    public LinkedNode {
        Objects.requireNonNull(node, "node");
    }
}
