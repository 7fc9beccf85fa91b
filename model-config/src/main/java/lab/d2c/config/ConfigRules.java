package lab.d2c.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects the broken rules of a record's values, so that a spec check reports every key that is
 * wrong, not only the first (a record's constructor checks all its rules, then {@link #throwIfBroken()}).
 */
public final class ConfigRules {

    private final List<ConfigViolation> violations = new ArrayList<>();

    /** Records {@code message} against {@code key} unless {@code holds}. */
    public ConfigRules check(boolean holds, String key, String message) {
        if (!holds) {
            violations.add(new ConfigViolation(key, message));
        }
        return this;
    }

    /** An int that is at least {@code min}: "{@code key} must be >= min, got v". */
    public ConfigRules atLeast(String key, int value, int min) {
        return check(value >= min, key, key + " must be >= " + min + ", got " + value);
    }

    /** A probability that is not 1: "{@code key} must be in [0, 1), got p". */
    public ConfigRules probability(String key, double p) {
        return check(p >= 0 && p < 1, key, key + " must be in [0, 1), got " + p);
    }

    /** A required value of an enumeration: "{@code key} is required: one of keys". */
    public ConfigRules required(String key, Object value, String keys) {
        return check(value != null, key, key + " is required: one of " + keys);
    }

    /** @throws ConfigException with every rule recorded as broken, if any */
    public void throwIfBroken() {
        if (!violations.isEmpty()) {
            throw new ConfigException(violations);
        }
    }
}
