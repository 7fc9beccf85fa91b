package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bundled presets, {@code presets/<name>.yaml} on the classpath: complete configs that a
 * sweep's {@code config} and {@code parameters} override. A preset defines every key of the
 * {@link ConfigSchema#standard() standard schema}, so an arm's config is always complete.
 */
public final class Presets {

    /** Add a preset's name here when adding its file. Sorted. */
    private static final List<String> NAMES = List.of("b", "tiny");

    private static final Map<String, Map<String, JsonNode>> LOADED = new ConcurrentHashMap<>();

    private Presets() {
    }

    public static List<String> names() {
        return NAMES;
    }

    public static boolean exists(String name) {
        return NAMES.contains(name);
    }

    /**
     * A preset's complete nested config, keys in schema order.
     *
     * @throws IllegalArgumentException when there is no such preset
     * @throws IllegalStateException when the bundled file is invalid (a build defect)
     */
    public static ObjectNode load(String name) {
        return ConfigTree.nest(flat(name), ConfigSchema.standard());
    }

    /** A preset as dotted key to canonical value, keys in schema order. */
    static Map<String, JsonNode> flat(String name) {
        if (!exists(name)) {
            throw new IllegalArgumentException("no preset '" + name + "'; known presets: " + String.join(", ", NAMES));
        }
        return LOADED.computeIfAbsent(name, Presets::read);
    }

    private static Map<String, JsonNode> read(String name) {
        String resource = "presets/" + name + ".yaml";
        ConfigSchema schema = ConfigSchema.standard();
        List<FieldError> errors = new ArrayList<>();
        Map<String, JsonNode> values = new LinkedHashMap<>();
        try {
            JsonNode tree = Documents.read(Resources.text(resource));
            if (tree instanceof ObjectNode object) {
                values.putAll(ConfigTree.flatten(object, "", schema, Map.of(), errors));
            } else {
                errors.add(new FieldError(FieldError.DOCUMENT, "expected a mapping, got " + Describe.kind(tree)));
            }
        } catch (SpecException e) {
            errors.addAll(e.errors());
        }
        for (String path : schema.paths()) {
            if (!values.containsKey(path) && errors.stream().noneMatch(e -> e.path().equals(path))) {
                errors.add(new FieldError(path, "missing; a preset must define every config key"));
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("bundled preset " + resource + " is invalid: "
                    + new SpecException(errors).getMessage());
        }
        Map<String, JsonNode> ordered = new LinkedHashMap<>();
        schema.paths().forEach(p -> ordered.put(p, values.get(p)));
        return Collections.unmodifiableMap(ordered);
    }
}
