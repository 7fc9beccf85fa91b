package lab.d2c.store.artifact;

/**
 * Rules for object keys: relative, slash-separated paths such as {@code nodes/ab12/checkpoint-000100.bin}.
 * Keys that could escape a prefix or be read differently by different stores are refused.
 */
public final class ArtifactKeys {

    public static final int MAX_LENGTH = 1024;

    private ArtifactKeys() {
    }

    /**
     * Checks a key and returns it.
     *
     * @throws IllegalArgumentException naming the reason
     */
    public static String validate(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("artifact key: must not be empty");
        }
        if (key.endsWith("/")) {
            throw new IllegalArgumentException("artifact key '" + printable(key) + "': must not end with '/'");
        }
        return checkPath(key);
    }

    /**
     * Checks a listing prefix: empty (everything) or a key, or a key followed by a single {@code /}.
     *
     * @throws IllegalArgumentException naming the reason
     */
    public static String validatePrefix(String prefix) {
        if (prefix == null) {
            throw new IllegalArgumentException("artifact prefix: must not be null (use \"\" for all)");
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        checkPath(prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix);
        return prefix;
    }

    private static String checkPath(String key) {
        if (key.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("artifact key: longer than " + MAX_LENGTH + " characters ("
                    + key.length() + ")");
        }
        if (key.startsWith("/")) {
            throw new IllegalArgumentException("artifact key '" + printable(key) + "': must not start with '/'");
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '\\') {
                throw new IllegalArgumentException("artifact key '" + printable(key) + "': backslash at index " + i
                        + " (use '/')");
            }
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("artifact key '" + printable(key) + "': control character U+"
                        + String.format("%04X", (int) c) + " at index " + i);
            }
        }
        if (key.isEmpty()) {
            throw new IllegalArgumentException("artifact key: must not be empty");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("artifact key '" + printable(key) + "': empty path segment ('//')");
            }
            if (segment.equals("..") || segment.equals(".")) {
                throw new IllegalArgumentException("artifact key '" + printable(key) + "': '" + segment
                        + "' path segment");
            }
        }
        return key;
    }

    private static String printable(String key) {
        StringBuilder out = new StringBuilder();
        key.codePoints().limit(120).forEach(cp -> {
            if (Character.isISOControl(cp)) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return key.length() > 120 ? out + "..." : out.toString();
    }
}
