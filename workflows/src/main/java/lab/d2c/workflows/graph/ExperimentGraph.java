package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * An arm's graph: every applicable node (or only the {@code targets} and their inputs), keyed, in an
 * order where inputs come first.
 */
public record ExperimentGraph(List<GraphNode> nodes) {

    /** Plans the graph of an arm from its full config using the registered node types. */
    public static ExperimentGraph plan(ObjectNode config) {
        return plan(config, NodeTypes.ALL);
    }

    /** Plans with an explicit set of node types (tests). */
    public static ExperimentGraph plan(ObjectNode config, List<NodeType> types) {
        Map<String, NodeType> byKind = new LinkedHashMap<>();
        for (NodeType t : types) {
            if (t.appliesTo(config)) {
                byKind.put(t.kind(), t);
            }
        }
        Map<String, GraphNode> planned = new LinkedHashMap<>();
        for (String kind : targets(config, byKind)) {
            visit(kind, config, byKind, planned, new ArrayList<>());
        }
        return new ExperimentGraph(List.copyOf(planned.values()));
    }

    /**
     * The kinds to plan: those named by {@code targets} (each must apply to this config), or every
     * applicable kind.
     */
    static List<String> targets(ObjectNode config, Map<String, NodeType> applicable) {
        JsonNode t = config.get(ConfigSchema.TARGETS);
        if (t == null || t.isNull() || t.asText().isBlank()) {
            return new ArrayList<>(applicable.keySet());
        }
        List<String> kinds = new ArrayList<>();
        for (String part : t.asText().split(",")) {
            String kind = part.trim();
            if (!applicable.containsKey(kind)) {
                throw new IllegalArgumentException("targets: '" + kind + "' is not a node kind of this config; "
                        + "kinds: " + String.join(", ", applicable.keySet()));
            }
            kinds.add(kind);
        }
        return kinds;
    }

    private static GraphNode visit(String kind, ObjectNode config, Map<String, NodeType> byKind,
            Map<String, GraphNode> planned, List<String> path) {
        GraphNode done = planned.get(kind);
        if (done != null) {
            return done;
        }
        if (path.contains(kind)) {
            throw new IllegalStateException("cycle in node types: " + String.join(" -> ", path) + " -> " + kind);
        }
        NodeType type = byKind.get(kind);
        if (type == null) {
            throw new IllegalStateException("node kind " + path.get(path.size() - 1) + " needs " + kind
                    + ", which does not apply to this config");
        }
        path.add(kind);
        Map<String, String> inputKeys = new HashMap<>();
        for (Map.Entry<String, String> in : type.inputs(config).entrySet()) {
            inputKeys.put(in.getKey(), visit(in.getValue(), config, byKind, planned, path).key());
        }
        path.remove(path.size() - 1);
        ObjectNode slice = ConfigSlice.of(config, type.configPaths());
        String key = NodeKeys.key(kind, type.codeVersion(), slice, inputKeys);
        GraphNode node = new GraphNode(key, kind, type.codeVersion(), NodeKeys.canonicalJson(slice), Map.copyOf(inputKeys));
        planned.put(kind, node);
        return node;
    }

    /** The node of a kind, if the arm has one. */
    public java.util.Optional<GraphNode> node(String kind) {
        return nodes.stream().filter(n -> n.kind().equals(kind)).findFirst();
    }
}
