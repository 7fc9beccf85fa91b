package lab.d2c.workers.node;

/** The node's config or inputs are wrong; retrying cannot help. */
public final class BadNodeInputException extends RuntimeException {

    public BadNodeInputException(String message, Throwable cause) {
        super(message, cause);
    }

    public BadNodeInputException(String message) {
        super(message);
    }
}
