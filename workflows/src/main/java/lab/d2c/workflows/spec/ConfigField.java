package lab.d2c.workflows.spec;

import java.util.List;

/**
 * One known config key.
 *
 * @param path        dotted path, e.g. {@code data.image_size}
 * @param type        value type
 * @param min         smallest allowed number (numbers only)
 * @param max         largest allowed number (numbers only)
 * @param allowed     allowed values (enums only)
 * @param nullable    whether null is allowed
 * @param description one line for people
 */
public record ConfigField(String path, Type type, double min, double max, List<String> allowed, boolean nullable,
        String description) {

    /** Value types of config keys. */
    public enum Type { INT, FLOAT, STRING, BOOL, ENUM }

    public static ConfigField integer(String path, long min, long max, String description) {
        return new ConfigField(path, Type.INT, min, max, List.of(), false, description);
    }

    public static ConfigField number(String path, double min, double max, String description) {
        return new ConfigField(path, Type.FLOAT, min, max, List.of(), false, description);
    }

    public static ConfigField oneOf(String path, List<String> allowed, String description) {
        return new ConfigField(path, Type.ENUM, 0, 0, List.copyOf(allowed), false, description);
    }

    public static ConfigField text(String path, boolean nullable, String description) {
        return new ConfigField(path, Type.STRING, 0, 0, List.of(), nullable, description);
    }

    public static ConfigField flag(String path, String description) {
        return new ConfigField(path, Type.BOOL, 0, 0, List.of(), false, description);
    }
}
