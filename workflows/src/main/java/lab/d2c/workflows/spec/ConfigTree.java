package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Moves configs between their two forms: flat (dotted key to value) and nested. A config in
 * a file may mix both: {@code data.image_size: 32} and {@code data: {image_size: 32}} are the
 * same key.
 */
final class ConfigTree {

    private ConfigTree() {
    }

    /**
     * Flattens and checks a config mapping against a schema.
     *
     * @param tree        the mapping as written, dotted keys and nested sections mixed
     * @param errorPrefix prefix of error paths ({@code config}), or empty
     * @param refused     keys that may not be given here, each with the reason to report
     * @param errors      where problems are added
     * @return the valid entries, dotted key to canonical value, in the order written
     */
    static LinkedHashMap<String, JsonNode> flatten(ObjectNode tree, String errorPrefix, ConfigSchema schema,
            Map<String, String> refused, List<FieldError> errors) {
        LinkedHashMap<String, JsonNode> out = new LinkedHashMap<>();
        walk(tree, "", errorPrefix, schema, refused, errors, out, new HashSet<>());
        return out;
    }

    private static void walk(ObjectNode node, String section, String errorPrefix, ConfigSchema schema,
            Map<String, String> refused, List<FieldError> errors, Map<String, JsonNode> out, Set<String> seen) {
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            String key = join(section, entry.getKey());
            String errorPath = join(errorPrefix, key);
            JsonNode value = entry.getValue();
            if (refused.containsKey(key)) {
                errors.add(new FieldError(errorPath, refused.get(key)));
            } else if (schema.field(key).isPresent()) {
                if (!seen.add(key)) {
                    errors.add(new FieldError(errorPath, "given more than once (a dotted key and a nested mapping "
                            + "name the same key)"));
                    continue;
                }
                ConfigField field = schema.field(key).get();
                if (value.isObject() && (value.has("values") || value.has("value"))) {
                    errors.add(new FieldError(errorPath, "expected " + field.expectation() + ", got a mapping; "
                            + "a grid over this key belongs under parameters"));
                    continue;
                }
                JsonNode checked = field.check(value, errorPath, errors);
                if (checked != null) {
                    out.put(key, checked);
                }
            } else if (schema.isSection(key)) {
                if (value.isObject()) {
                    walk((ObjectNode) value, key, errorPrefix, schema, refused, errors, out, seen);
                } else {
                    errors.add(new FieldError(errorPath, "'" + key + "' is a section; expected a mapping of its keys ("
                            + String.join(", ", schema.keysUnder(key)) + "), got " + Describe.kindAndValue(value)));
                }
            } else {
                errors.add(new FieldError(errorPath, schema.unknownKeyReason(key, refused.keySet())));
            }
        }
    }

    /** A nested config of the given flat entries, keys in schema order (keys not in the schema last). */
    static ObjectNode nest(Map<String, JsonNode> flat, ConfigSchema schema) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String path : schema.paths()) {
            if (flat.containsKey(path)) {
                put(out, path, flat.get(path));
            }
        }
        flat.forEach((path, value) -> {
            if (schema.field(path).isEmpty()) {
                put(out, path, value);
            }
        });
        return out;
    }

    /** Sets a dotted key in a nested config, creating sections as needed; an existing key keeps its place. */
    static void put(ObjectNode config, String path, JsonNode value) {
        String[] parts = path.split("\\.", -1);
        ObjectNode target = config;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode next = target.get(parts[i]);
            target = next instanceof ObjectNode section ? section : target.putObject(parts[i]);
        }
        target.set(parts[parts.length - 1], value.deepCopy());
    }

    private static String join(String prefix, String key) {
        return prefix.isEmpty() ? key : prefix + "." + key;
    }
}
