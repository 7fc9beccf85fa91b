package lab.d2c.model.train;

/**
 * What a checkpoint is of. Random draws need no saved generator state: they derive from (seed,
 * step, purpose) and the data order from (seed, epoch), so step and cursor are the RNG counters.
 *
 * @param step              steps completed = index of the next step
 * @param cursor            where the next batch starts
 * @param seed              the run seed
 * @param configFingerprint {@link TrainConfig#fingerprint()} of the run that wrote it
 * @param modelName         class of the {@link TrainableModel}
 */
public record CheckpointHeader(long step, DataCursor cursor, long seed, String configFingerprint, String modelName) {
}
