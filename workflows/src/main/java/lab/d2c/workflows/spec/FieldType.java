package lab.d2c.workflows.spec;

/** The value types a {@link ConfigField} can hold. */
public enum FieldType {
    /** A whole number (a long); a float without a fractional part is accepted and made whole. */
    INT("an integer"),
    /** A finite number; an integer is accepted. */
    FLOAT("a number"),
    STRING("a string"),
    BOOL("a boolean"),
    /** A string from the field's allowed values. */
    ENUM("a string"),
    /** A string naming a file on a worker: absolute, without '.' or '..' segments ({@link FileNames}). */
    ABSOLUTE_PATH("an absolute path"),
    /** A string naming an object of the artifact store, by store's key rules ({@link FileNames}). */
    OBJECT_KEY("an object key");

    private final String expected;

    FieldType(String expected) {
        this.expected = expected;
    }

    /** How an error names what was expected, e.g. "an integer". */
    public String expected() {
        return expected;
    }
}
