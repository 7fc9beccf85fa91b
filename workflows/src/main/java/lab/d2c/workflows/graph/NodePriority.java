package lab.d2c.workflows.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order a worker's free node slot should prefer among runnable nodes: the one with the longest chain of
 * work still waiting on it. A node's <em>depth</em> is the longest path from it to a node nothing in the arm's
 * graph reads (evaluate): prepare-dataset and the tokenizers lead 6-7 nodes, predict-stage1 3 (it unblocks every
 * conditioned stage two), train-classifier 2, sample 1, evaluate 0. Temporal dispatches a task queue's backlog by
 * priority key, 1 first and 5 last, first-come within a key; the key is {@code 5 - depth}, clamped to [1, 5].
 *
 * <p>Why: in the paper sweep (1 h 38 min, 2 slots) the dataset classifier took a slot for 14 minutes while the
 * tokenizers every other node waits on shared the other, and predict-stage1, which three stage twos wait on, waited
 * 16 minutes behind stage twos and sampling that nothing waited on. First-come order has no notion of what unblocks
 * what; the depth does, from the arm's own graph (no per-kind table to keep true).
 */
public final class NodePriority {

    /** Temporal's range: 1 is dispatched first; 3 is a task's default. */
    public static final int HIGHEST = 1;
    public static final int LOWEST = 5;

    private NodePriority() {
    }

    /** Node key to its priority key. */
    public static Map<String, Integer> keys(ExperimentGraph graph) {
        Map<String, Integer> depth = depths(graph);
        Map<String, Integer> out = new HashMap<>();
        depth.forEach((key, d) -> out.put(key, Math.max(HIGHEST, Math.min(LOWEST, LOWEST - d))));
        return out;
    }

    /** Node key to the longest path (in nodes) from it to a node no other node of the graph reads. */
    static Map<String, Integer> depths(ExperimentGraph graph) {
        Map<String, List<String>> readers = new HashMap<>();
        for (GraphNode n : graph.nodes()) {
            readers.putIfAbsent(n.key(), new ArrayList<>());
            for (String input : n.inputKeys().values()) {
                readers.computeIfAbsent(input, k -> new ArrayList<>()).add(n.key());
            }
        }
        Map<String, Integer> depth = new HashMap<>();
        // the graph lists inputs before their readers: walking it backwards sees every reader first
        List<GraphNode> nodes = graph.nodes();
        for (int i = nodes.size() - 1; i >= 0; i--) {
            String key = nodes.get(i).key();
            int d = 0;
            for (String reader : readers.get(key)) {
                d = Math.max(d, depth.get(reader) + 1);
            }
            depth.put(key, d);
        }
        return depth;
    }
}
