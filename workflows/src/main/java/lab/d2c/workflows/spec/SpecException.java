package lab.d2c.workflows.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A spec is invalid; {@link #errors()} lists the problems found, each with its field path. */
public final class SpecException extends RuntimeException {

    /**
     * The most errors kept. A 1 MB spec of bad keys has tens of thousands of them, and the API
     * sends {@link #errors()} back whole: the first hundred say what is wrong.
     */
    public static final int MAX_ERRORS = 100;

    private static final long serialVersionUID = 1L;

    private final List<FieldError> errors;

    public SpecException(List<FieldError> errors) {
        super(message(errors));
        this.errors = capped(errors);
    }

    public SpecException(String path, String reason) {
        this(List.of(new FieldError(path, reason)));
    }

    /**
     * The problems, in the order they were found; never empty. Past {@link #MAX_ERRORS}, the
     * first {@link #MAX_ERRORS} and one more at {@link FieldError#DOCUMENT} counting the rest.
     */
    public List<FieldError> errors() {
        return errors;
    }

    private static List<FieldError> capped(List<FieldError> errors) {
        if (errors.size() <= MAX_ERRORS) {
            return List.copyOf(errors);
        }
        List<FieldError> kept = new ArrayList<>(errors.subList(0, MAX_ERRORS));
        kept.add(new FieldError(FieldError.DOCUMENT, (errors.size() - MAX_ERRORS)
                + " more errors not shown; fix the ones above and submit again"));
        return List.copyOf(kept);
    }

    private static String message(List<FieldError> errors) {
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a SpecException needs at least one error");
        }
        String count = errors.size() == 1 ? "1 error" : errors.size() + " errors";
        return capped(errors).stream().map(e -> "  " + e)
                .collect(Collectors.joining("\n", "invalid spec (" + count + "):\n", ""));
    }
}
