package lab.d2c.model.data;

/** The dataset's files are not where the config says; the message says how to get them. */
public final class DatasetMissingException extends RuntimeException {

    public DatasetMissingException(String message) {
        super(message);
    }
}
