package lab.d2c.model.train;

import java.io.IOException;

/** A checkpoint stream that is truncated, corrupted or not a checkpoint; the message says which and where. */
public final class CheckpointCorruptException extends IOException {

    private static final long serialVersionUID = 1L;

    public CheckpointCorruptException(String message) {
        super(message);
    }

    public CheckpointCorruptException(String message, Throwable cause) {
        super(message, cause);
    }
}
