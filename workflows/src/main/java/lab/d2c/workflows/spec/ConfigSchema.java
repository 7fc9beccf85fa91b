package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The closed set of config keys an experiment may have. Adding a key is one line in
 * {@link #standard()}; every preset must then define it (a test checks).
 */
public final class ConfigSchema {

    /** The run seed: set from the sweep's {@code seeds}, never written in config or parameters. */
    public static final String SEED = "seed";

    private static final ConfigSchema STANDARD = new ConfigSchema(List.of(
            ConfigField.integer(SEED, 0, Long.MAX_VALUE, "the run seed (from the sweep's seeds)"),
            ConfigField.oneOf("data.dataset", List.of("shapes", "fashion-mnist"), "which dataset"),
            ConfigField.text("data.path", true, "directory of the dataset's files; null = the default location"),
            ConfigField.integer("data.image_size", 8, 1024, "image resolution (square)"),
            ConfigField.integer("data.channels", 1, 3, "1 (grey) or 3 (RGB)"),
            ConfigField.integer("data.num_classes", 1, 1000, "classes of shapes (fashion-mnist has 10)"),
            ConfigField.integer("data.train_size", 0, 10_000_000, "train images; 0 = all available"),
            ConfigField.integer("data.test_size", 0, 10_000_000, "test images; 0 = all available"),
            ConfigField.integer("data.seed", 0, Long.MAX_VALUE, "generation seed of shapes; subset seed otherwise"),
            ConfigField.integer("data.shard_size", 1, 1_000_000, "images per shard")));

    private final Map<String, ConfigField> fields = new LinkedHashMap<>();

    public ConfigSchema(List<ConfigField> fields) {
        for (ConfigField f : fields) {
            if (this.fields.put(f.path(), f) != null) {
                throw new IllegalArgumentException("config key defined twice: " + f.path());
            }
        }
    }

    public static ConfigSchema standard() {
        return STANDARD;
    }

    public Optional<ConfigField> field(String path) {
        return Optional.ofNullable(fields.get(path));
    }

    public Set<String> paths() {
        return fields.keySet();
    }

    /** Whether some key lies under this dotted prefix (so a nested mapping there is expected). */
    public boolean isSection(String prefix) {
        return fields.keySet().stream().anyMatch(k -> k.startsWith(prefix + "."));
    }

    /** Validates one value; adds an error at {@code where} when it is wrong. */
    public static void check(ConfigField f, JsonNode v, String where, List<FieldError> errors) {
        if (v == null || v.isNull()) {
            if (!f.nullable()) {
                errors.add(new FieldError(where, "must not be null (" + f.description() + ")"));
            }
            return;
        }
        switch (f.type()) {
            case INT -> {
                boolean integral = v.isIntegralNumber() || v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue());
                if (!v.isNumber() || !integral) {
                    errors.add(new FieldError(where, "expected an integer, got " + describe(v)));
                } else {
                    range(f, v.doubleValue(), where, errors);
                }
            }
            case FLOAT -> {
                if (!v.isNumber()) {
                    errors.add(new FieldError(where, "expected a number, got " + describe(v)));
                } else {
                    range(f, v.doubleValue(), where, errors);
                }
            }
            case BOOL -> {
                if (!v.isBoolean()) {
                    errors.add(new FieldError(where, "expected true or false, got " + describe(v)));
                }
            }
            case STRING -> {
                if (!v.isTextual()) {
                    errors.add(new FieldError(where, "expected a string, got " + describe(v)));
                }
            }
            case ENUM -> {
                if (!v.isTextual() || !f.allowed().contains(v.asText())) {
                    errors.add(new FieldError(where, "expected one of " + f.allowed() + ", got " + describe(v)));
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    private static void range(ConfigField f, double x, String where, List<FieldError> errors) {
        if (x < f.min() || x > f.max()) {
            errors.add(new FieldError(where, "must be in [" + fmt(f.min()) + ", " + fmt(f.max()) + "], got " + fmt(x)));
        }
    }

    private static String fmt(double x) {
        return x == Math.rint(x) && Math.abs(x) < 1e18 ? String.valueOf((long) x) : String.valueOf(x);
    }

    static String describe(JsonNode v) {
        String kind = v.isTextual() ? "string" : v.isBoolean() ? "boolean" : v.isNumber() ? "number"
                : v.isArray() ? "list" : v.isObject() ? "mapping" : "null";
        String text = v.isValueNode() ? v.asText() : v.toString();
        return kind + " '" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "'";
    }

    /** The closest known key, when one is close enough to be a likely typo. */
    public Optional<String> suggest(String unknown) {
        return Suggest.closest(unknown, fields.keySet());
    }
}
