package lab.d2c.config;

/**
 * One broken rule of a config record.
 *
 * @param key     the config key the rule names, e.g. {@code stage2.queries} (a value derived from the data,
 *                such as {@code stage2.grid}, is named by its record's section and field)
 * @param message the reason, naming the key, e.g. {@code stage2.queries must be >= 1, got 0}
 */
public record ConfigViolation(String key, String message) {
}
