package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Dotted-path access to nested configs. */
public final class ConfigTree {

    private ConfigTree() {
    }

    /** The value at a dotted path, or null. */
    public static JsonNode get(JsonNode root, String dotted) {
        JsonNode cur = root;
        for (String part : dotted.split("\\.")) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(part);
        }
        return cur;
    }

    /** Sets the value at a dotted path, creating mappings on the way. */
    public static void set(ObjectNode root, String dotted, JsonNode value) {
        String[] parts = dotted.split("\\.");
        ObjectNode cur = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = cur.get(parts[i]);
            cur = next instanceof ObjectNode o ? o : cur.putObject(parts[i]);
        }
        cur.set(parts[parts.length - 1], value);
    }
}
