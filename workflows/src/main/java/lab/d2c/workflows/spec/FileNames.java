package lab.d2c.workflows.spec;

/**
 * Rules for the strings of a spec that name files: a path on a worker ({@link FieldType#ABSOLUTE_PATH})
 * and an object of the artifact store ({@link FieldType#OBJECT_KEY}). Checked at submission so a
 * bad one is refused with its field path instead of failing a node hours later.
 *
 * <p>The object-key rules are store's {@code ArtifactKeys.validate}, written out again: workflows and
 * store do not depend on each other (workers and api depend on both), and a module of its own for
 * these few lines would cost more than the copy. {@code ObjectKeyRulesAgreementTest} in workers,
 * which sees both, runs the two on the same good and bad keys so they cannot drift apart.
 */
final class FileNames {

    /** The longest object key, as store's {@code ArtifactKeys.MAX_LENGTH}. */
    static final int MAX_KEY_LENGTH = 1024;

    private FileNames() {
    }

    /**
     * Why {@code text} is not an absolute path a spec may name, or null when it is one. A worker
     * still checks that the path lies inside its file roots; refusing {@code ..} here keeps the
     * path as written the path that is read.
     */
    static String absolutePathProblem(String text) {
        if (!text.startsWith("/")) {
            return "must be an absolute path (starting with '/'); got " + Describe.quote(text);
        }
        String control = controlCharacter(text);
        if (control != null) {
            return control;
        }
        for (String segment : text.split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return "must not contain a '" + segment + "' segment (write the path out); got " + Describe.quote(text);
            }
        }
        return null;
    }

    /** Why {@code key} is not an object key (store's {@code ArtifactKeys.validate}), or null when it is one. */
    static String objectKeyProblem(String key) {
        if (key.isEmpty()) {
            return "must not be empty";
        }
        if (key.length() > MAX_KEY_LENGTH) {
            return "longer than " + MAX_KEY_LENGTH + " characters (" + key.length() + ")";
        }
        if (key.startsWith("/") || key.endsWith("/")) {
            return "must not start or end with '/' (an object key is relative, e.g. files/inception.pt); got "
                    + Describe.quote(key);
        }
        int backslash = key.indexOf('\\');
        if (backslash >= 0) {
            return "backslash at index " + backslash + " (use '/'); got " + Describe.quote(key);
        }
        String control = controlCharacter(key);
        if (control != null) {
            return control;
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty()) {
                return "empty path segment ('//'); got " + Describe.quote(key);
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "'" + segment + "' path segment; got " + Describe.quote(key);
            }
        }
        return null;
    }

    /** The first control character, without echoing the text (it would garble a terminal), or null. */
    private static String controlCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return "control character U+" + String.format("%04X", (int) text.charAt(i)) + " at index " + i;
            }
        }
        return null;
    }
}
