package lab.d2c.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A config record refused its values: every broken rule, each naming its key. An
 * IllegalArgumentException, so callers that report "bad input" need nothing more; the spec checks read
 * {@link #violations()} to put each one on its key.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final List<ConfigViolation> violations;

    /** @param violations at least one; the message is theirs, joined by "; " */
    public ConfigException(List<ConfigViolation> violations) {
        super(violations.stream().map(ConfigViolation::message).collect(Collectors.joining("; ")));
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs a violation");
        }
        this.violations = List.copyOf(violations);
    }

    /** One broken rule. */
    public static ConfigException of(String key, String message) {
        return new ConfigException(List.of(new ConfigViolation(key, message)));
    }

    public List<ConfigViolation> violations() {
        return violations;
    }
}
