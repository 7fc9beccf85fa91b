package lab.d2c.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Function;

/**
 * Reads typed values from a nested config tree by dotted key (as a node's config and an arm's
 * config are), failing with a {@link ConfigException} on the key. Numbers, text and booleans are
 * read as leniently as Jackson's {@code asDouble}, {@code asText}, {@code asBoolean}: the spec
 * schema has already checked their types.
 */
public final class ConfigValues {

    private ConfigValues() {
    }

    /** The value at {@code key}; fails naming the key when absent. */
    public static JsonNode required(JsonNode config, String key) {
        JsonNode cur = config;
        for (String part : key.split("\\.")) {
            cur = cur == null ? null : cur.get(part);
        }
        if (cur == null || cur.isMissingNode()) {
            throw ConfigException.of(key, "config key " + key + " is missing");
        }
        return cur;
    }

    public static int integer(JsonNode config, String key) {
        JsonNode v = required(config, key);
        if (!v.canConvertToInt()) {
            throw ConfigException.of(key, key + ": expected an integer, got " + v);
        }
        return v.asInt();
    }

    public static double number(JsonNode config, String key) {
        return required(config, key).asDouble();
    }

    public static String text(JsonNode config, String key) {
        return required(config, key).asText();
    }

    public static boolean bool(JsonNode config, String key) {
        return required(config, key).asBoolean();
    }

    /** The text at {@code key} through {@code parser}; the parser's IllegalArgumentException is put on the key, its message kept. */
    public static <T> T parse(JsonNode config, String key, Function<String, T> parser) {
        String text = text(config, key);
        try {
            return parser.apply(text);
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw ConfigException.of(key, e.getMessage());
        }
    }
}
