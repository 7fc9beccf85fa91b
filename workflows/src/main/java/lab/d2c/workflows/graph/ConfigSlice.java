package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Cuts the subtrees a node reads out of a nested config, keeping their nesting. */
public final class ConfigSlice {

    private ConfigSlice() {
    }

    /**
     * @param config the arm's full nested config
     * @param paths  dotted paths of the subtrees (or leaves) to keep
     * @return a new object holding only those paths; a path absent from the config is absent here
     */
    public static ObjectNode of(ObjectNode config, List<String> paths) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String path : paths) {
            String[] parts = path.split("\\.");
            JsonNode source = config;
            for (String p : parts) {
                source = source == null ? null : source.get(p);
            }
            if (source == null) {
                continue;
            }
            ObjectNode target = out;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode next = target.get(parts[i]);
                target = next instanceof ObjectNode o ? o : target.putObject(parts[i]);
            }
            target.set(parts[parts.length - 1], source.deepCopy());
        }
        return out;
    }
}
