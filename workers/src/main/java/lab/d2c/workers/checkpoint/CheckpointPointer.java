package lab.d2c.workers.checkpoint;

import java.util.List;

/**
 * The {@code latest.json} pointer of a training node: the newest verified checkpoint first,
 * then the ones kept before it (fallbacks when the newest fails verification).
 *
 * @param checkpoints newest first
 */
public record CheckpointPointer(List<Entry> checkpoints) {

    /** One verified checkpoint. */
    public record Entry(long step, String key, long sizeBytes, String sha256) {
    }
}
