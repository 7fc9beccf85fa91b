package lab.d2c.model.pretokenize;

/**
 * The tokens of n images in both horizontal flips (flip 0 = as is, flip 1 = mirrored), as MAR
 * caches both: discrete ids for stage one and the posterior moments of the continuous latents
 * for stage two, which samples latents from them while training (MAR's cached moments).
 *
 * @param count          images
 * @param grid           tokens per side (both tokenizers have the same stride, paper section 4.2)
 * @param latentChannels channels C of a continuous latent
 * @param ids            int32 [count, 2, grid, grid] VQ code ids
 * @param moments        float32 [count, 2, 2C, grid, grid]: posterior mean (first C) and log-variance (last C), unscaled
 * @param labels         int32 [count] class ids
 */
public record TokenShard(int count, int grid, int latentChannels, int[] ids, float[] moments, int[] labels) {

    public static final int FLIPS = 2;

    public TokenShard {
        int tokens = grid * grid;
        if (ids.length != count * FLIPS * tokens) {
            throw new IllegalArgumentException("ids: expected " + count * FLIPS * tokens + " values, got " + ids.length);
        }
        if (moments.length != count * FLIPS * 2 * latentChannels * tokens) {
            throw new IllegalArgumentException("moments: expected " + count * FLIPS * 2 * latentChannels * tokens
                    + " values, got " + moments.length);
        }
        if (labels.length != count) {
            throw new IllegalArgumentException("labels: expected " + count + " values, got " + labels.length);
        }
    }

    public int[] idsShape() {
        return new int[] {count, FLIPS, grid, grid};
    }

    public int[] momentsShape() {
        return new int[] {count, FLIPS, 2 * latentChannels, grid, grid};
    }
}
