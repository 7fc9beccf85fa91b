package lab.d2c.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enumeration a config key takes, each constant with the spelling configs use. The spec schema
 * takes its allowed values from {@link #keys(Class)}, so the submission check and the model can
 * never disagree on what a key accepts.
 */
public interface ConfigEnum {

    /** How configs spell this constant, e.g. {@code q-former}. */
    String key();

    /** Every constant's key, in declaration order. */
    static <E extends Enum<E> & ConfigEnum> List<String> keys(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigEnum::key).toList();
    }

    /** The keys as a message lists them: {@code linear, cosine}. */
    static <E extends Enum<E> & ConfigEnum> String joinedKeys(Class<E> type) {
        return keys(type).stream().collect(Collectors.joining(", "));
    }

    /** The constant named {@code key} (trimmed, any case), or null when none is. */
    static <E extends Enum<E> & ConfigEnum> E find(Class<E> type, String key) {
        String k = key == null ? "" : key.trim().toLowerCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.key().equals(k)) {
                return e;
            }
        }
        return null;
    }

    /**
     * The constant named {@code key}, as {@link #find}.
     *
     * @param name what the message calls the value, e.g. the config key
     * @throws IllegalArgumentException "{@code name 'key' is not one of} the keys"
     */
    static <E extends Enum<E> & ConfigEnum> E parse(Class<E> type, String key, String name) {
        E found = find(type, key);
        if (found == null) {
            throw new IllegalArgumentException(name + " '" + key + "' is not one of " + joinedKeys(type));
        }
        return found;
    }
}
