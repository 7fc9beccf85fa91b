package lab.d2c.api.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.workflows.graph.ExperimentGraph;
import lab.d2c.workflows.graph.GraphNode;

/**
 * An arm's planned graph as the API knows it: planned once, when the sweep is submitted, and stored
 * with the arm ({@code experiments.planned_node_keys} and {@code nodes_total}); reads take it from
 * there. An unfinished arm links its nodes only as their inputs finish, so its links alone do not
 * name every node it will need. Rows recorded before the plan was stored have none, and are planned
 * here on read (what every read did before).
 */
public final class PlannedNodes {

    private static final ObjectMapper JSON = new ObjectMapper();

    private PlannedNodes() {
    }

    /** The node keys of the graph an arm's config plans, in plan order (at submission). */
    public static List<String> plan(ObjectNode config) {
        return ExperimentGraph.plan(config).nodes().stream().map(GraphNode::key).toList();
    }

    /** The node keys of the arm's planned graph, as stored at submission. */
    public static List<String> keys(ExperimentRecord e) {
        return e.plannedNodeKeys() != null ? e.plannedNodeKeys() : plan(config(e));
    }

    /** The number of nodes of the arm's planned graph, as stored at submission. */
    public static int count(ExperimentRecord e) {
        return e.nodesTotal() != null ? e.nodesTotal() : ExperimentGraph.plan(config(e)).nodes().size();
    }

    private static ObjectNode config(ExperimentRecord e) {
        try {
            return (ObjectNode) JSON.readTree(e.configJson());
        } catch (JsonProcessingException | ClassCastException x) {
            throw new IllegalStateException("stored config of experiment '" + e.id() + "' is not a JSON object", x);
        }
    }
}
