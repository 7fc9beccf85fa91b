package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;

/** How error messages name a value and its kind; long values are cut so a message stays short. */
final class Describe {

    private static final int MAX_SHOWN_CHARS = 40;

    private Describe() {
    }

    /** The kind of a parsed value with its article, e.g. "a string", "a list", "null". */
    static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        return switch (node.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT -> "a mapping";
            case NULL -> "null";
            case BINARY -> "binary data";
            default -> "a value of type " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A short rendering of a value for a message: strings quoted, containers by kind. */
    static String value(JsonNode node) {
        if (node == null || node.isContainerNode() || node.isMissingNode()) {
            return kind(node);
        }
        if (node.isTextual()) {
            return quote(node.asText());
        }
        return cut(node.isNumber() ? node.asText() : node.toString());
    }

    /** A mapping key as a path segment: the empty key shows as {@code ""} so a path is never blank. */
    static String key(String key) {
        return key.isEmpty() ? "\"\"" : key;
    }

    /** A string in single quotes, cut when long. */
    static String quote(String text) {
        return "'" + cut(text) + "'";
    }

    /** The kind of a value followed by its rendering when that adds something, e.g. "a string ('big')". */
    static String kindAndValue(JsonNode node) {
        String kind = kind(node);
        return node == null || node.isContainerNode() || node.isNull() || node.isMissingNode()
                ? kind : kind + " (" + value(node) + ")";
    }

    private static String cut(String text) {
        String oneLine = text.replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_SHOWN_CHARS ? oneLine : oneLine.substring(0, MAX_SHOWN_CHARS) + "...";
    }
}
