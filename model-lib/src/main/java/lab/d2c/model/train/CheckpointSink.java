package lab.d2c.model.train;

import java.io.IOException;

/**
 * Where checkpoints go. The sink supplies the stream: a file, a byte array, or an S3 upload to a
 * temporary key that is verified before the {@code latest} pointer moves. The writer holds a
 * snapshot taken at {@code step}, so the sink may also write it later or on another thread.
 */
@FunctionalInterface
public interface CheckpointSink {

    /**
     * @param step   steps completed; a run resumed from this checkpoint starts at this step index
     * @param writer writes the checkpoint to a stream the sink opens
     */
    void save(long step, CheckpointWriter writer) throws IOException;
}
