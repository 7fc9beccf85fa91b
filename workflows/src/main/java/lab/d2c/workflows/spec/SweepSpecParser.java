package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses and validates sweep files, YAML or JSON (text starting with {@code {} is read as JSON
 * so that JSON errors read naturally):
 *
 * <pre>
 * name: demo-quick            # required; [a-z0-9][a-z0-9-]{0,62}
 * description: two arms       # optional
 * preset: tiny                # required; see {@link Presets#names()}
 * method: grid                # optional; only grid
 * config:                     # optional overrides of the preset; dotted keys or nested mappings
 *   data.dataset: shapes
 * parameters:                 # optional grid over dotted config keys
 *   data.train_size:
 *     values: [1000, 2000]    # a non-empty list
 *   data.seed:
 *     value: 3                # one fixed value
 * arms:                       # optional list of named arms (times the grid, times the seeds)
 *   - name: mar               # required; [a-z0-9][a-z0-9.-]{0,62}, unique
 *     stage2.fusion: none     # dotted config keys set in this arm only
 *   - name: q-former-16
 *     stage2.fusion: q-former
 *     stage2.queries: 16
 * seeds: [0, 1, 2]            # optional run seeds; default [0]
 * seed_keys: [stage2.seed]    # optional seed keys set to the run seed too; default none
 * </pre>
 *
 * Without {@code seed_keys} the run seed reaches the sampling nodes only: the seeds of an arm share
 * its trained models, and their spread is sampling variation. Each key listed there is set to the run
 * seed in every arm, so that trainer runs once per seed and the spread holds its training variation too.
 *
 * An optional key set to null counts as absent. Every problem found is reported, each with
 * its field path, in one {@link SpecException}.
 */
public final class SweepSpecParser {

    /** The default cap on a sweep's arms. */
    public static final int DEFAULT_MAX_ARMS = 256;

    /** The largest spec text accepted, in UTF-8 bytes. */
    public static final int MAX_TEXT_BYTES = Documents.MAX_BYTES;

    /** What a sweep name looks like. */
    public static final String NAME_PATTERN = "[a-z0-9][a-z0-9-]{0,62}";

    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    private static final String GRID = "grid";
    private static final List<Long> DEFAULT_SEEDS = List.of(0L);
    private static final List<String> TOP_LEVEL_KEYS =
            List.of("name", "description", "preset", "method", "config", "parameters", "arms", "seeds", "seed_keys");
    private static final Pattern ARM_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,62}");
    private static final List<String> PARAMETER_KEYS = List.of("values", "value");
    private static final String USE_SEEDS =
            "the run seed is set by the top-level seeds list (e.g. seeds: [0, 1, 2]); use seeds instead";

    private final ConfigSchema schema = ConfigSchema.standard();
    private final List<FieldError> errors = new ArrayList<>();

    private SweepSpecParser() {
    }

    /**
     * Parses and validates a spec, without a cap on its arms beyond what an {@code int} counts.
     * The rules tying keys together ({@link ArmRules}) are checked when the grid has at most
     * {@link #DEFAULT_MAX_ARMS} arms; submissions use {@link #parse(String, int)}, which always checks them.
     *
     * @throws SpecException listing every problem found
     */
    public static SweepSpec parse(String text) {
        SweepSpec spec = new SweepSpecParser().read(text == null ? "" : text);
        spec.requireWithinCap(Integer.MAX_VALUE);
        if (spec.armCount() <= DEFAULT_MAX_ARMS) {
            checkArms(spec, DEFAULT_MAX_ARMS);
        }
        return spec;
    }

    /** The rules tying keys together ({@link ArmRules}), on every arm. */
    private static void checkArms(SweepSpec spec, int maxArms) {
        List<FieldError> inconsistent = ArmRules.check(spec.expand(maxArms), spec.parameters(), spec.variants());
        if (!inconsistent.isEmpty()) {
            throw new SpecException(inconsistent);
        }
    }

    /**
     * Parses and validates a spec, and checks that it has at most {@code maxArms} arms.
     *
     * @throws SpecException listing every problem found; over the cap, one error at {@code parameters}
     */
    public static SweepSpec parse(String text, int maxArms) {
        if (maxArms < 1) {
            throw new IllegalArgumentException("maxArms must be at least 1, got " + maxArms);
        }
        SweepSpec spec = new SweepSpecParser().read(text == null ? "" : text);
        spec.requireWithinCap(maxArms);
        checkArms(spec, maxArms);
        return spec;
    }

    private SweepSpec read(String text) {
        JsonNode root = Documents.read(text);
        if (root.isMissingNode()) {
            throw new SpecException(FieldError.DOCUMENT, "the document is empty; a sweep spec is a mapping with at "
                    + "least name and preset");
        }
        if (!(root instanceof ObjectNode spec)) {
            throw new SpecException(FieldError.DOCUMENT, "expected a mapping with the keys "
                    + String.join(", ", TOP_LEVEL_KEYS) + ", got " + Describe.kindAndValue(root));
        }
        spec.fieldNames().forEachRemaining(key -> {
            if (!TOP_LEVEL_KEYS.contains(key)) {
                error(Describe.key(key), Suggestions.withSuggestion("unknown key", key, TOP_LEVEL_KEYS));
            }
        });
        String name = name(spec.get("name"));
        String description = optionalString("description", spec.get("description")).orElse("");
        String preset = preset(spec.get("preset"));
        String method = method(spec.get("method"));
        Map<String, JsonNode> overrides = config(spec.get("config"));
        LinkedHashMap<String, List<JsonNode>> parameters = parameters(spec.get("parameters"), overrides);
        List<SweepSpec.Variant> variants = arms(spec.get("arms"), parameters);
        List<Long> seeds = seeds(spec.get("seeds"));
        List<String> seedKeys = seedKeys(spec.get("seed_keys"), overrides, parameters, variants);
        if (!errors.isEmpty()) {
            throw new SpecException(errors);
        }
        Map<String, JsonNode> resolved = new LinkedHashMap<>(Presets.flat(preset));
        resolved.putAll(overrides);
        return new SweepSpec(name, description, preset, method, ConfigTree.nest(resolved, schema), parameters, seeds,
                variants, seedKeys);
    }

    private String name(JsonNode node) {
        String rule = "lowercase letters, digits and '-', starting with a letter or digit, at most 63 characters";
        if (absent(node)) {
            error("name", "required; the sweep's name (" + rule + ")");
            return null;
        }
        if (!node.isTextual()) {
            String hint = node.isValueNode() ? "; quote it to make it a string" : "";
            error("name", "expected a string, got " + Describe.kindAndValue(node) + hint);
            return null;
        }
        if (!NAME.matcher(node.asText()).matches()) {
            error("name", "must match " + NAME_PATTERN + " (" + rule + "); got " + Describe.value(node));
            return null;
        }
        return node.asText();
    }

    private String method(JsonNode node) {
        Optional<String> method = optionalString("method", node);
        if (method.isPresent() && !method.get().equals(GRID)) {
            error("method", "method " + Describe.quote(method.get()) + " is not supported; only grid is supported");
        }
        return GRID;
    }

    private String preset(JsonNode node) {
        if (absent(node)) {
            error("preset", "required; one of " + String.join(", ", Presets.names()));
            return null;
        }
        if (!node.isTextual()) {
            error("preset", "expected a string naming a preset (" + String.join(", ", Presets.names()) + "), got "
                    + Describe.kindAndValue(node));
            return null;
        }
        if (!Presets.exists(node.asText())) {
            error("preset", Suggestions.withSuggestion("unknown preset " + Describe.value(node) + "; known presets: "
                    + String.join(", ", Presets.names()), node.asText(), Presets.names()));
            return null;
        }
        return node.asText();
    }

    private Map<String, JsonNode> config(JsonNode node) {
        if (absent(node)) {
            return Map.of();
        }
        if (!(node instanceof ObjectNode config)) {
            error("config", "expected a mapping of config keys to values (e.g. data.image_size: 32), got "
                    + Describe.kindAndValue(node));
            return Map.of();
        }
        return ConfigTree.flatten(config, "config", schema, Map.of(ConfigSchema.RUN_SEED, USE_SEEDS), errors);
    }

    private LinkedHashMap<String, List<JsonNode>> parameters(JsonNode node, Map<String, JsonNode> overrides) {
        LinkedHashMap<String, List<JsonNode>> grid = new LinkedHashMap<>();
        if (absent(node)) {
            return grid;
        }
        if (!(node instanceof ObjectNode parameters)) {
            error("parameters", "expected a mapping of dotted config keys to {values: [...]} or {value: x}, got "
                    + Describe.kindAndValue(node));
            return grid;
        }
        for (Map.Entry<String, JsonNode> entry : parameters.properties()) {
            String key = entry.getKey();
            String path = "parameters." + key;
            Optional<ConfigField> field = parameterField(key, path);
            if (field.isPresent() && overrides.containsKey(key)) {
                error(path, "ambiguous: " + key + " is also set under config; set it in one place");
            }
            List<JsonNode> values = parameterValues(entry.getValue(), path, field);
            if (field.isPresent() && values != null) {
                grid.put(key, values);
            }
        }
        return grid;
    }

    /** The field a parameter sweeps over, or empty (with an error) when it names none. */
    private Optional<ConfigField> parameterField(String key, String path) {
        if (key.equals(ConfigSchema.RUN_SEED)) {
            error(path, USE_SEEDS);
            return Optional.empty();
        }
        Optional<ConfigField> field = schema.field(key);
        if (field.isEmpty() && schema.isSection(key)) {
            error(path, "'" + key + "' is a section, not a key; name a full dotted key such as "
                    + schema.keysUnder(key).get(0));
        } else if (field.isEmpty()) {
            error(path, schema.unknownKeyReason(key, List.of(ConfigSchema.RUN_SEED)));
        }
        return field;
    }

    /**
     * The checked values of one parameter, or null when invalid. Without a field (the key is
     * unknown) only the shape is checked.
     */
    private List<JsonNode> parameterValues(JsonNode spec, String path, Optional<ConfigField> field) {
        if (!(spec instanceof ObjectNode grid)) {
            String hint = spec != null && spec.isArray()
                    ? "; to sweep over a list write values: [...] under the key" : "";
            error(path, "expected a mapping with values: [...] or value: x, got " + Describe.kindAndValue(spec) + hint);
            return null;
        }
        int before = errors.size();
        grid.fieldNames().forEachRemaining(k -> {
            if (!PARAMETER_KEYS.contains(k)) {
                error(path + "." + k, Suggestions.withSuggestion("unknown key; a grid parameter takes values (a list) "
                        + "or value (one value); only grid search is supported", k, PARAMETER_KEYS));
            }
        });
        boolean hasValues = grid.has("values");
        boolean hasValue = grid.has("value");
        if (hasValues && hasValue) {
            error(path, "give either values or value, not both");
        } else if (!hasValues && !hasValue) {
            error(path, "missing values: a grid parameter needs values: [...] or value: x");
        }
        List<JsonNode> checked = new ArrayList<>();
        if (hasValues) {
            checkValueList(grid.get("values"), path + ".values", field, checked);
        }
        if (hasValue) {
            check(grid.get("value"), path + ".value", field).ifPresent(checked::add);
        }
        return errors.size() == before ? checked : null;
    }

    private void checkValueList(JsonNode values, String path, Optional<ConfigField> field, List<JsonNode> checked) {
        if (values == null || !values.isArray()) {
            error(path, "expected a non-empty list, got " + Describe.kindAndValue(values));
            return;
        }
        if (values.isEmpty()) {
            error(path, "must not be empty; list at least one value");
            return;
        }
        Map<JsonNode, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            String elementPath = path + "[" + i + "]";
            Optional<JsonNode> value = check(values.get(i), elementPath, field);
            if (value.isEmpty()) {
                continue;
            }
            Integer earlier = firstIndex.putIfAbsent(value.get(), i);
            if (earlier != null) {
                error(elementPath, "duplicate value " + Describe.value(value.get())
                        + " (also at values[" + earlier + "])");
            } else {
                checked.add(value.get());
            }
        }
    }

    private Optional<JsonNode> check(JsonNode value, String path, Optional<ConfigField> field) {
        return field.map(f -> f.check(value, path, errors));
    }

    /** The arms list: each entry a name and dotted config keys with one value each. */
    private List<SweepSpec.Variant> arms(JsonNode node, Map<String, List<JsonNode>> parameters) {
        List<SweepSpec.Variant> out = new ArrayList<>();
        if (absent(node)) {
            return out;
        }
        if (!node.isArray() || node.isEmpty()) {
            error("arms", "expected a non-empty list of mappings such as [{name: mar, stage2.fusion: none}], got "
                    + Describe.kindAndValue(node));
            return out;
        }
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "arms[" + i + "]";
            if (!(node.get(i) instanceof ObjectNode entry)) {
                error(path, "expected a mapping with a name and config keys, got " + Describe.kindAndValue(node.get(i)));
                continue;
            }
            JsonNode name = entry.get("name");
            String armName = null;
            if (absent(name) || !name.isTextual() || !ARM_NAME.matcher(name.asText()).matches()) {
                error(path + ".name", "required; lowercase letters, digits, '.' and '-' (" + ARM_NAME.pattern()
                        + "), got " + Describe.kindAndValue(name));
            } else {
                armName = name.asText();
                Integer earlier = firstIndex.putIfAbsent(armName, i);
                if (earlier != null) {
                    error(path + ".name", "duplicate arm name '" + armName + "' (also at arms[" + earlier + "])");
                }
            }
            LinkedHashMap<String, JsonNode> overrides = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : entry.properties()) {
                String key = e.getKey();
                if (key.equals("name")) {
                    continue;
                }
                String keyPath = path + "." + key;
                if (key.equals(ConfigSchema.RUN_SEED)) {
                    error(keyPath, USE_SEEDS);
                    continue;
                }
                Optional<ConfigField> field = schema.field(key);
                if (field.isEmpty()) {
                    error(keyPath, schema.isSection(key) ? "'" + key + "' is a section; name full dotted keys such as "
                            + schema.keysUnder(key).get(0) : schema.unknownKeyReason(key, List.of(ConfigSchema.RUN_SEED)));
                    continue;
                }
                if (parameters.containsKey(key)) {
                    error(keyPath, "ambiguous: " + key + " is also a grid parameter; set it in one place");
                    continue;
                }
                check(e.getValue(), keyPath, field).ifPresent(v -> overrides.put(key, v));
            }
            if (armName != null) {
                out.add(new SweepSpec.Variant(armName, overrides));
            }
        }
        return out;
    }

    private List<Long> seeds(JsonNode node) {
        if (absent(node)) {
            return DEFAULT_SEEDS;
        }
        if (!node.isArray()) {
            error("seeds", "expected a list of non-negative integers such as [0, 1, 2], got "
                    + Describe.kindAndValue(node));
            return DEFAULT_SEEDS;
        }
        if (node.isEmpty()) {
            error("seeds", "must not be empty; leave seeds out for the default [0]");
            return DEFAULT_SEEDS;
        }
        ConfigField seedField = schema.field(ConfigSchema.RUN_SEED).orElseThrow();
        Map<Long, Integer> firstIndex = new LinkedHashMap<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode seed = seedField.check(node.get(i), "seeds[" + i + "]", errors);
            if (seed == null) {
                continue;
            }
            Integer earlier = firstIndex.putIfAbsent(seed.longValue(), i);
            if (earlier != null) {
                error("seeds[" + i + "]", "duplicate seed " + seed.longValue() + " (also at seeds[" + earlier + "])");
            }
        }
        List<Long> seeds = List.copyOf(firstIndex.keySet());
        return seeds;
    }

    /**
     * The {@code seed_keys} list: seed keys of the schema (dotted keys ending in {@code .seed}: the trainers',
     * and {@code data.seed}), each
     * once, and set nowhere else in the spec, since every arm's run seed decides their value.
     */
    private List<String> seedKeys(JsonNode node, Map<String, JsonNode> overrides,
            Map<String, List<JsonNode>> parameters, List<SweepSpec.Variant> variants) {
        if (absent(node)) {
            return List.of();
        }
        List<String> known = schema.paths().stream().filter(k -> k.endsWith("." + ConfigSchema.RUN_SEED)).toList();
        if (!node.isArray()) {
            error("seed_keys", "expected a list of seed keys such as [stage2.seed], got "
                    + Describe.kindAndValue(node));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < node.size(); i++) {
            String path = "seed_keys[" + i + "]";
            JsonNode entry = node.get(i);
            if (!entry.isTextual()) {
                error(path, "expected a seed key such as stage2.seed, got " + Describe.kindAndValue(entry));
                continue;
            }
            String key = entry.asText();
            if (!known.contains(key)) {
                error(path, Suggestions.withSuggestion("not a seed key of the config (" + String.join(", ", known)
                        + "); the run seed itself is set by seeds", key, known));
                continue;
            }
            Integer earlier = firstIndex.putIfAbsent(key, i);
            if (earlier != null) {
                error(path, "duplicate key " + key + " (also at seed_keys[" + earlier + "])");
                continue;
            }
            String where = overrides.containsKey(key) ? "config" : parameters.containsKey(key) ? "parameters"
                    : variants.stream().filter(v -> v.overrides().containsKey(key)).findFirst()
                            .map(v -> "arm '" + v.name() + "'").orElse(null);
            if (where != null) {
                error(path, "ambiguous: " + key + " is also set under " + where + "; with it in seed_keys every arm "
                        + "sets it to its run seed, so set it in one place");
                continue;
            }
            out.add(key);
        }
        return out;
    }

    private Optional<String> optionalString(String path, JsonNode node) {
        if (absent(node)) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            error(path, "expected a string, got " + Describe.kindAndValue(node));
            return Optional.empty();
        }
        return Optional.of(node.asText());
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private void error(String path, String reason) {
        errors.add(new FieldError(path, reason));
    }
}
