package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * One kind of node in the experiment graph. A node type says which slice of the config it
 * reads and which other nodes it consumes; its key is the hash of exactly those, plus the
 * kind and its code version (docs/design.md, "The experiment graph"). Adding a node kind means
 * implementing this interface and listing it in {@link NodeTypes}; the engine is unchanged.
 */
public interface NodeType {

    /** The kind name, e.g. {@code prepare-dataset}. */
    String kind();

    /** Bump when the node's code changes its output: every key of this kind changes. */
    int codeVersion();

    /** Dotted config paths (whole subtrees) this node reads, e.g. {@code data}. */
    List<String> configPaths();

    /** Whether an arm with this config contains this node. */
    default boolean appliesTo(ObjectNode config) {
        return true;
    }

    /** Input name to the kind of the node that provides it, for an arm with this config. */
    default Map<String, String> inputs(ObjectNode config) {
        return Map.of();
    }
}
