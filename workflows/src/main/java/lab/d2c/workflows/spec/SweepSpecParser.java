package lab.d2c.workflows.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a sweep file (YAML, or JSON when it starts with '{'), checks every part of it
 * against the config schema, and reports all problems at once with their field paths.
 */
public final class SweepSpecParser {

    /** Largest grid accepted unless the caller sets another cap. */
    public static final int DEFAULT_MAX_ARMS = 256;

    /** Largest spec text accepted. */
    public static final int MAX_BYTES = 1_000_000;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final List<String> TOP_LEVEL = List.of("name", "description", "preset", "method", "config",
            "parameters", "seeds");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final ConfigSchema schema;

    public SweepSpecParser(ConfigSchema schema) {
        this.schema = schema;
    }

    public static SweepSpec parse(String text) {
        return parse(text, DEFAULT_MAX_ARMS);
    }

    /** Parses, validates and checks the grid against the cap. */
    public static SweepSpec parse(String text, int maxArms) {
        SweepSpec spec = new SweepSpecParser(ConfigSchema.standard()).read(text);
        long arms = spec.armCount();
        if (arms > maxArms) {
            throw new SpecException("parameters", "the grid has " + arms + " arms (values x seeds); the cap is " + maxArms);
        }
        return spec;
    }

    /** Parses and validates, without the cap. */
    public SweepSpec read(String text) {
        if (text == null || text.isBlank()) {
            throw new SpecException("<document>", "empty document: expected a mapping with name and preset");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new SpecException("<document>", "larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root = tree(text);
        if (root == null || !root.isObject()) {
            throw new SpecException("<document>", "expected a mapping with name and preset, got "
                    + (root == null ? "nothing" : ConfigSchema.describe(root)));
        }
        List<FieldError> errors = new ArrayList<>();
        root.fieldNames().forEachRemaining(k -> {
            if (!TOP_LEVEL.contains(k)) {
                errors.add(new FieldError(k, "unknown key" + Suggest.hint(k, TOP_LEVEL)));
            }
        });
        String name = requiredText(root, "name", errors);
        if (name != null && !NAME.matcher(name).matches()) {
            errors.add(new FieldError("name", "must match [a-z0-9][a-z0-9-]{0,62}, got '" + name + "'"));
        }
        String description = optionalText(root, "description", errors);
        String preset = requiredText(root, "preset", errors);
        if (preset != null && !Presets.NAMES.contains(preset)) {
            errors.add(new FieldError("preset", "unknown preset '" + preset + "'; known: " + Presets.NAMES
                    + Suggest.hint(preset, Presets.NAMES)));
        }
        String method = optionalText(root, "method", errors);
        if (method != null && !method.equals("grid")) {
            errors.add(new FieldError("method", "only 'grid' is supported, got '" + method + "'"));
        }
        Map<String, JsonNode> overrides = new LinkedHashMap<>();
        JsonNode config = root.get("config");
        if (config != null && !config.isNull()) {
            if (!config.isObject()) {
                errors.add(new FieldError("config", "expected a mapping of config keys, got " + ConfigSchema.describe(config)));
            } else {
                flatten(config, "", overrides, errors);
            }
        }
        LinkedHashMap<String, List<JsonNode>> parameters = parameters(root.get("parameters"), errors);
        for (String key : parameters.keySet()) {
            if (overrides.containsKey(key)) {
                errors.add(new FieldError("config." + key, "also given in parameters; say it in one place"));
            }
        }
        List<Long> seeds = seeds(root.get("seeds"), errors);
        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
        ObjectNode resolved = Presets.load(preset);
        overrides.forEach((k, v) -> ConfigTree.set(resolved, k, v));
        return new SweepSpec(name, description, preset, "grid", resolved, parameters, seeds);
    }

    private static JsonNode tree(String text) {
        boolean json = text.stripLeading().startsWith("{");
        try {
            return (json ? JSON : YAML).readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw new SpecException("<document>", "malformed " + (json ? "JSON" : "YAML") + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    private static String requiredText(JsonNode root, String key, List<FieldError> errors) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            errors.add(new FieldError(key, "required"));
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError(key, "expected a string, got " + ConfigSchema.describe(v)));
            return null;
        }
        return v.asText();
    }

    private static String optionalText(JsonNode root, String key, List<FieldError> errors) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            errors.add(new FieldError(key, "expected a string, got " + ConfigSchema.describe(v)));
            return null;
        }
        return v.asText();
    }

    /** Config overrides may be dotted keys or nested mappings; both reach the same leaves. */
    private void flatten(JsonNode node, String prefix, Map<String, JsonNode> out, List<FieldError> errors) {
        node.fields().forEachRemaining(e -> {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            String where = "config." + path;
            if (path.equals(ConfigSchema.SEED)) {
                errors.add(new FieldError(where, "the run seed comes from 'seeds'; list it there"));
                return;
            }
            var field = schema.field(path);
            if (field.isPresent()) {
                int before = errors.size();
                ConfigSchema.check(field.get(), e.getValue(), where, errors);
                if (errors.size() == before) {
                    if (out.containsKey(path)) {
                        errors.add(new FieldError(where, "given twice (dotted and nested)"));
                    }
                    out.put(path, e.getValue());
                }
            } else if (schema.isSection(path) && e.getValue().isObject()) {
                flatten(e.getValue(), path, out, errors);
            } else {
                errors.add(new FieldError(where, "unknown key" + Suggest.hint(path, schema.paths())));
            }
        });
    }

    private LinkedHashMap<String, List<JsonNode>> parameters(JsonNode node, List<FieldError> errors) {
        LinkedHashMap<String, List<JsonNode>> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isObject()) {
            errors.add(new FieldError("parameters", "expected a mapping of dotted config keys, got " + ConfigSchema.describe(node)));
            return out;
        }
        node.fields().forEachRemaining(e -> {
            String key = e.getKey();
            String where = "parameters." + key;
            if (key.equals(ConfigSchema.SEED)) {
                errors.add(new FieldError(where, "the run seed comes from 'seeds'; list it there"));
                return;
            }
            var field = schema.field(key);
            if (field.isEmpty()) {
                errors.add(new FieldError(where, "unknown config key" + Suggest.hint(key, schema.paths())));
                return;
            }
            JsonNode p = e.getValue();
            if (!p.isObject() || p.has("values") == p.has("value") || p.size() != 1) {
                errors.add(new FieldError(where, "expected {values: [...]} or {value: x}"));
                return;
            }
            List<JsonNode> values = new ArrayList<>();
            if (p.has("value")) {
                int before = errors.size();
                ConfigSchema.check(field.get(), p.get("value"), where + ".value", errors);
                if (errors.size() == before) {
                    values.add(p.get("value"));
                }
            } else {
                JsonNode list = p.get("values");
                if (!list.isArray()) {
                    errors.add(new FieldError(where + ".values", "expected a list, got " + ConfigSchema.describe(list)));
                    return;
                }
                if (list.isEmpty()) {
                    errors.add(new FieldError(where + ".values", "empty: a grid needs at least one value"));
                    return;
                }
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < list.size(); i++) {
                    int before = errors.size();
                    ConfigSchema.check(field.get(), list.get(i), where + ".values[" + i + "]", errors);
                    if (errors.size() == before && !seen.add(list.get(i).toString())) {
                        errors.add(new FieldError(where + ".values[" + i + "]", "duplicate value " + list.get(i)));
                    }
                    values.add(list.get(i));
                }
            }
            out.put(key, values);
        });
        return out;
    }

    private static List<Long> seeds(JsonNode node, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            return List.of(0L);
        }
        if (!node.isArray()) {
            errors.add(new FieldError("seeds", "expected a list of non-negative integers, got " + ConfigSchema.describe(node)));
            return List.of(0L);
        }
        if (node.isEmpty()) {
            errors.add(new FieldError("seeds", "empty: give at least one seed (or leave seeds out for [0])"));
            return List.of(0L);
        }
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode s = node.get(i);
            if (!s.canConvertToLong() || !s.isIntegralNumber() || s.asLong() < 0) {
                errors.add(new FieldError("seeds[" + i + "]", "expected a non-negative integer, got " + ConfigSchema.describe(s)));
            } else if (out.contains(s.asLong())) {
                errors.add(new FieldError("seeds[" + i + "]", "duplicate seed " + s.asLong()));
            } else {
                out.add(s.asLong());
            }
        }
        return out.isEmpty() ? List.of(0L) : out;
    }
}
