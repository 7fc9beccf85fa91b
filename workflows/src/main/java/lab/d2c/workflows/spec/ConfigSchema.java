package lab.d2c.workflows.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The closed set of config keys an experiment understands. A config is a nested mapping whose
 * leaves are exactly these keys; a dotted path's leading segments ({@code data}) are
 * <em>sections</em>.
 */
public final class ConfigSchema {

    /** The run seed's key. It is set from a sweep's {@code seeds}, never by config or parameters. */
    public static final String RUN_SEED = "seed";

    /** Add a field here (one line) to make a new config key known everywhere. */
    private static final ConfigSchema STANDARD = new ConfigSchema(List.of(
            ConfigField.nonNegativeInteger(RUN_SEED, "the run seed; set from the sweep's seeds list"),
            ConfigField.enumeration("data.dataset", List.of("shapes", "fashion-mnist"), "which dataset to prepare"),
            ConfigField.string("data.path",
                    "folder of the Fashion-MNIST IDX .gz files; null = /usr/share/datasets/fashion-mnist").orNull(),
            ConfigField.integer("data.image_size", 8, 1024, "side of the square images, in pixels"),
            ConfigField.integerOneOf("data.channels", List.of(1L, 3L), "colour channels: 1 (grey) or 3 (RGB)"),
            ConfigField.integer("data.num_classes", 1, 1000, "classes of shapes (fashion-mnist has 10)"),
            ConfigField.integer("data.train_size", 0, 10_000_000, "training images; 0 = all available"),
            ConfigField.integer("data.test_size", 0, 10_000_000, "test images; 0 = all available"),
            ConfigField.nonNegativeInteger("data.seed", "generation seed of shapes; subset seed otherwise"),
            ConfigField.integer("data.shard_size", 1, 1_000_000, "images per shard")));

    private final Map<String, ConfigField> fields;

    /**
     * @param fields the known keys, in the order configs are written out
     * @throws IllegalArgumentException on a duplicate path, or a path that is also a section of another
     */
    public ConfigSchema(List<ConfigField> fields) {
        Map<String, ConfigField> byPath = new LinkedHashMap<>();
        for (ConfigField f : fields) {
            if (byPath.put(f.path(), f) != null) {
                throw new IllegalArgumentException("duplicate config key " + f.path());
            }
            if (f.path().isEmpty() || f.path().startsWith(".") || f.path().endsWith(".") || f.path().contains("..")) {
                throw new IllegalArgumentException("malformed config key '" + f.path() + "'");
            }
        }
        for (String path : byPath.keySet()) {
            if (byPath.keySet().stream().anyMatch(other -> other.startsWith(path + "."))) {
                throw new IllegalArgumentException("config key " + path + " is also a section of other keys");
            }
        }
        this.fields = Collections.unmodifiableMap(byPath);
    }

    /** The schema of this version of the platform. */
    public static ConfigSchema standard() {
        return STANDARD;
    }

    /** Every field, in schema order. */
    public List<ConfigField> fields() {
        return List.copyOf(fields.values());
    }

    /** Every key's dotted path, in schema order. */
    public List<String> paths() {
        return List.copyOf(fields.keySet());
    }

    public Optional<ConfigField> field(String path) {
        return Optional.ofNullable(fields.get(path));
    }

    /** Whether {@code path} is a section, that is, the dotted prefix of some keys (e.g. {@code data}). */
    public boolean isSection(String path) {
        String prefix = path + ".";
        return fields.keySet().stream().anyMatch(p -> p.startsWith(prefix));
    }

    /** The keys under a section, e.g. {@code data} gives {@code data.dataset, data.path, ...}. */
    public List<String> keysUnder(String section) {
        String prefix = section + ".";
        return fields.keySet().stream().filter(p -> p.startsWith(prefix)).toList();
    }

    /** "unknown key", with a did-you-mean among the known keys not in {@code excluded}. */
    String unknownKeyReason(String key, Collection<String> excluded) {
        List<String> candidates = new ArrayList<>(fields.keySet());
        candidates.removeAll(excluded);
        return Suggestions.withSuggestion("unknown key", key, candidates);
    }
}
