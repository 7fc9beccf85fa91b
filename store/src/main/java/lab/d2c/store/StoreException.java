package lab.d2c.store;

/**
 * A storage operation failed (S3 or PostgreSQL). The message names the operation and the object
 * (artifact key, row id) it was about, and never carries credentials.
 */
public class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
