package lab.d2c.workflows.spec;

import java.util.List;
import java.util.stream.Collectors;

/** A spec is invalid; {@link #errors()} lists every problem found, each with its field path. */
public final class SpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<FieldError> errors;

    public SpecException(List<FieldError> errors) {
        super(message(errors));
        this.errors = List.copyOf(errors);
    }

    public SpecException(String path, String reason) {
        this(List.of(new FieldError(path, reason)));
    }

    /** The problems, in the order they were found; never empty. */
    public List<FieldError> errors() {
        return errors;
    }

    private static String message(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a SpecException needs at least one error");
        }
        String count = errors.size() == 1 ? "1 error" : errors.size() + " errors";
        return errors.stream().map(e -> "  " + e)
                .collect(Collectors.joining("\n", "invalid spec (" + count + "):\n", ""));
    }
}
