package lab.d2c.workflows.spec;

import java.util.Objects;

/**
 * One problem with a spec.
 *
 * @param path   where: a dotted field path with list indices, e.g.
 *               {@code parameters.data.train_size.values[1]}, {@code config.data.image_size},
 *               {@code seeds[2]}, {@code name}; {@link #DOCUMENT} for the document as a whole
 * @param reason what is wrong, and where it helps, what to write instead
 */
public record FieldError(String path, String reason) {

    /** The path of errors about the document as a whole (unreadable, empty, not a mapping). */
    public static final String DOCUMENT = "<document>";

    public FieldError {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
        return path + ": " + reason;
    }
}
