package lab.d2c.workflows.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The registry of node kinds the graph engine knows. Later kinds are added to {@link #ALL}. */
public final class NodeTypes {

    /** Every node kind, in no particular order (the planner sorts topologically). */
    public static final List<NodeType> ALL = List.of(
            new PrepareDatasetNode(), new TrainVqNode(), new TrainVaeNode(), new PretokenizeNode(),
            new TrainStage1Node(), new DecodeStage1Node(), new PredictStage1Node(), new TrainStage2Node(), new SampleNode(),
            new TrainClassifierNode(), new ReferenceStatsNode(), new EvaluateNode(), new TrainRdpmTokenizerNode(),
            new PretokenizeRdpmNode(), new TrainRdpmNode(), new SampleRdpmNode());

    private static final Map<String, NodeType> BY_KIND = index();

    private NodeTypes() {
    }

    private static Map<String, NodeType> index() {
        Map<String, NodeType> m = new LinkedHashMap<>();
        for (NodeType t : ALL) {
            if (m.put(t.kind(), t) != null) {
                throw new IllegalStateException("two node types named " + t.kind());
            }
        }
        return Map.copyOf(m);
    }

    public static Optional<NodeType> byKind(String kind) {
        return Optional.ofNullable(BY_KIND.get(kind));
    }

    public static NodeType require(String kind) {
        return byKind(kind).orElseThrow(() -> new IllegalArgumentException("unknown node kind: " + kind));
    }
}
