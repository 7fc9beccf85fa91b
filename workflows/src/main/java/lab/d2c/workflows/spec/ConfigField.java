package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * One known config key and what values it takes.
 *
 * @param path        dotted path in the nested config, e.g. {@code data.image_size}
 * @param type        value type
 * @param allowed     the only values allowed (their text forms); the enum's values for
 *                    {@link FieldType#ENUM}, empty for "any value of the type in range"
 * @param min         smallest allowed number (inclusive), or null for none; numbers only
 * @param max         largest allowed number (inclusive), or null for none; numbers only
 * @param nullable    whether null is a valid value
 * @param description one line for people
 */
public record ConfigField(String path, FieldType type, List<String> allowed, BigDecimal min, BigDecimal max,
        boolean nullable, String description) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    public ConfigField {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(description, "description");
        allowed = List.copyOf(allowed);
        if (type == FieldType.ENUM && allowed.isEmpty()) {
            throw new IllegalArgumentException(path + ": an ENUM field needs its allowed values");
        }
        boolean numeric = type == FieldType.INT || type == FieldType.FLOAT;
        if (!numeric && (min != null || max != null)) {
            throw new IllegalArgumentException(path + ": only numbers have a min or max");
        }
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw new IllegalArgumentException(path + ": min > max");
        }
    }

    /** An INT in [min, max]. */
    public static ConfigField integer(String path, long min, long max, String description) {
        return new ConfigField(path, FieldType.INT, List.of(), BigDecimal.valueOf(min), BigDecimal.valueOf(max), false,
                description);
    }

    /** An INT that is 0 or more, with no upper bound. */
    public static ConfigField nonNegativeInteger(String path, String description) {
        return new ConfigField(path, FieldType.INT, List.of(), BigDecimal.ZERO, null, false, description);
    }

    /** An INT that must be one of {@code values}. */
    public static ConfigField integerOneOf(String path, List<Long> values, String description) {
        List<Long> sorted = values.stream().sorted().toList();
        return new ConfigField(path, FieldType.INT, sorted.stream().map(String::valueOf).toList(),
                BigDecimal.valueOf(sorted.get(0)), BigDecimal.valueOf(sorted.get(sorted.size() - 1)), false,
                description);
    }

    /** A FLOAT in [min, max]. */
    public static ConfigField number(String path, double min, double max, String description) {
        return new ConfigField(path, FieldType.FLOAT, List.of(), BigDecimal.valueOf(min), BigDecimal.valueOf(max),
                false, description);
    }

    public static ConfigField string(String path, String description) {
        return new ConfigField(path, FieldType.STRING, List.of(), null, null, false, description);
    }

    /** A string naming a file or folder on the worker: absolute, without '.' or '..' segments. */
    public static ConfigField absolutePath(String path, String description) {
        return new ConfigField(path, FieldType.ABSOLUTE_PATH, List.of(), null, null, false, description);
    }

    /** A string naming an object of the artifact store (the key rules of store's ArtifactKeys). */
    public static ConfigField objectKey(String path, String description) {
        return new ConfigField(path, FieldType.OBJECT_KEY, List.of(), null, null, false, description);
    }

    public static ConfigField bool(String path, String description) {
        return new ConfigField(path, FieldType.BOOL, List.of(), null, null, false, description);
    }

    /** A BOOL that must be false: a switch for a feature this build cannot provide. */
    public static ConfigField off(String path, String description) {
        return new ConfigField(path, FieldType.BOOL, List.of("false"), null, null, false, description);
    }

    public static ConfigField enumeration(String path, List<String> values, String description) {
        return new ConfigField(path, FieldType.ENUM, values, null, null, false, description);
    }

    /** This field, also accepting null. */
    public ConfigField orNull() {
        return new ConfigField(path, type, allowed, min, max, true, description);
    }

    /**
     * Checks a value against this field.
     *
     * @param value     the value as parsed (any JSON node; null or missing counts as null)
     * @param errorPath the path to name in errors, e.g. {@code parameters.data.image_size.values[1]}
     * @param errors    where problems are added
     * @return the value in canonical form (INT as an int or long node, FLOAT as a double node,
     *         strings, booleans, null), or null when it is invalid (then an error was added)
     */
    public JsonNode check(JsonNode value, String errorPath, List<FieldError> errors) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            if (nullable) {
                return NODES.nullNode();
            }
            errors.add(new FieldError(errorPath, "must not be null; expected " + expectation()));
            return null;
        }
        JsonNode canonical = switch (type) {
            case INT -> wholeNumber(value, errorPath, errors);
            case FLOAT -> finiteNumber(value, errorPath, errors);
            case STRING, ENUM -> value.isTextual() ? value : wrongType(value, errorPath, errors);
            case ABSOLUTE_PATH, OBJECT_KEY -> value.isTextual() ? fileName(value, errorPath, errors)
                    : wrongType(value, errorPath, errors);
            case BOOL -> value.isBoolean() ? value : wrongType(value, errorPath, errors);
        };
        if (canonical == null) {
            return null;
        }
        if (!allowed.isEmpty() && !allowed.contains(canonical.asText())) {
            String reason = "must be one of " + String.join(", ", allowed) + "; got " + Describe.value(canonical);
            errors.add(new FieldError(errorPath, type == FieldType.ENUM
                    ? Suggestions.withSuggestion(reason, canonical.asText(), allowed) : reason));
            return null;
        }
        return inRange(canonical, errorPath, errors) ? canonical : null;
    }

    /** What this field takes, for messages, e.g. "an integer in [8, 1024]". */
    public String expectation() {
        StringBuilder s = new StringBuilder(type.expected());
        if (!allowed.isEmpty()) {
            s.append(" (one of ").append(String.join(", ", allowed)).append(')');
        } else if (min != null && max != null) {
            s.append(" in [").append(min.toPlainString()).append(", ").append(max.toPlainString()).append(']');
        } else if (min != null) {
            s.append(" >= ").append(min.toPlainString());
        } else if (max != null) {
            s.append(" <= ").append(max.toPlainString());
        }
        if (nullable) {
            s.append(" or null");
        }
        return s.toString();
    }

    private JsonNode wholeNumber(JsonNode value, String errorPath, List<FieldError> errors) {
        if (!value.isNumber()) {
            return wrongType(value, errorPath, errors);
        }
        if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
            errors.add(new FieldError(errorPath, "expected " + expectation() + ", got " + Describe.value(value)));
            return null;
        }
        BigDecimal decimal = value.decimalValue();
        if (decimal.signum() != 0 && decimal.stripTrailingZeros().scale() > 0) {
            errors.add(new FieldError(errorPath, "expected " + expectation() + ", got " + Describe.value(value)
                    + ", which has a fractional part"));
            return null;
        }
        long whole;
        try {
            whole = decimal.longValueExact();
        } catch (ArithmeticException tooLarge) {
            errors.add(new FieldError(errorPath, "out of range: expected " + expectation() + ", got "
                    + Describe.value(value)));
            return null;
        }
        return wholeNumberNode(whole);
    }

    /** The canonical node of a whole number: an int node when it fits, as Jackson reads such JSON. */
    static JsonNode wholeNumberNode(long whole) {
        return whole == (int) whole ? NODES.numberNode((int) whole) : NODES.numberNode(whole);
    }

    private JsonNode finiteNumber(JsonNode value, String errorPath, List<FieldError> errors) {
        if (!value.isNumber()) {
            return wrongType(value, errorPath, errors);
        }
        double d = value.doubleValue();
        if (!Double.isFinite(d)) {
            errors.add(new FieldError(errorPath, "expected a finite number, got " + Describe.value(value)));
            return null;
        }
        return NODES.numberNode(d);
    }

    private JsonNode fileName(JsonNode value, String errorPath, List<FieldError> errors) {
        String problem = type == FieldType.ABSOLUTE_PATH ? FileNames.absolutePathProblem(value.asText())
                : FileNames.objectKeyProblem(value.asText());
        if (problem != null) {
            errors.add(new FieldError(errorPath, problem));
            return null;
        }
        return value;
    }

    private JsonNode wrongType(JsonNode value, String errorPath, List<FieldError> errors) {
        errors.add(new FieldError(errorPath, "expected " + expectation() + ", got " + Describe.kindAndValue(value)));
        return null;
    }

    private boolean inRange(JsonNode canonical, String errorPath, List<FieldError> errors) {
        if (!canonical.isNumber()) {
            return true;
        }
        BigDecimal v = canonical.decimalValue();
        if ((min != null && v.compareTo(min) < 0) || (max != null && v.compareTo(max) > 0)) {
            errors.add(new FieldError(errorPath, "out of range: expected " + expectation() + ", got "
                    + Describe.value(canonical)));
            return false;
        }
        return true;
    }
}
