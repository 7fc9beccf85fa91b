package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** A small three-kind graph for engine tests: data -> tok -> train (train also reads data). */
public final class TestNodeTypes {

    private TestNodeTypes() {
    }

    public static NodeType type(String kind, List<String> paths, Map<String, String> inputs) {
        return new NodeType() {
            @Override
            public String kind() {
                return kind;
            }

            @Override
            public int codeVersion() {
                return 1;
            }

            @Override
            public List<String> configPaths() {
                return paths;
            }

            @Override
            public Map<String, String> inputs(ObjectNode config) {
                return inputs;
            }
        };
    }

    public static List<NodeType> chain() {
        return List.of(
                type("train", List.of("train", "seed"), Map.of("data", "data", "tokens", "tok")),
                type("tok", List.of("tok"), Map.of("data", "data")),
                type("data", List.of("data"), Map.of()));
    }
}
