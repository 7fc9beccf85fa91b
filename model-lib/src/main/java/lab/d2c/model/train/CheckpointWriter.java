package lab.d2c.model.train;

import java.io.IOException;
import java.io.OutputStream;

/** Something that writes one complete checkpoint stream. */
@FunctionalInterface
public interface CheckpointWriter {

    /** Writes the whole checkpoint to {@code out}, leaving it open (the caller closes it). */
    void writeTo(OutputStream out) throws IOException;
}
