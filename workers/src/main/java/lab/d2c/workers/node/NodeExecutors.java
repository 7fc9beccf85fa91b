package lab.d2c.workers.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The executors a worker offers, by node kind. The standard list is {@code lab.d2c.workers.StandardExecutors}
 * (the worker's composition root), so this package imports no executor package.
 */
public final class NodeExecutors {

    private final Map<String, NodeExecutor> byKind = new LinkedHashMap<>();

    public NodeExecutors(List<NodeExecutor> executors) {
        for (NodeExecutor e : executors) {
            if (byKind.put(e.kind(), e) != null) {
                throw new IllegalStateException("two executors for node kind " + e.kind());
            }
        }
    }

    public NodeExecutor require(String kind) {
        NodeExecutor e = byKind.get(kind);
        if (e == null) {
            throw new BadNodeInputException("this worker has no executor for node kind '" + kind + "'; it has " + byKind.keySet());
        }
        return e;
    }

    public Set<String> kinds() {
        return byKind.keySet();
    }
}
