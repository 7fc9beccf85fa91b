package lab.d2c.model.nn;

import java.util.List;

/**
 * The convolutional encoder of LDM and LlamaGen ({@code Encoder} in both codebases): conv_in, then per
 * level {@code resBlocks} {@link ResnetBlock}s at width baseWidth * multiplier, with a
 * {@link Downsample} after every level but the last, then a middle of two ResnetBlocks and the head
 * norm -> SiLU -> conv to {@code outChannels}. The spatial size shrinks by 2^(levels - 1).
 * Unlike LDM / LlamaGen there are no attention blocks (at the lowest level and in the middle).
 */
public final class ConvEncoder extends ConvStack {

    private final int stride;

    /**
     * @param inChannels       image channels
     * @param baseWidth        LDM's {@code ch}
     * @param widthMultipliers LDM's {@code ch_mult}; its size - 1 is the number of halvings
     * @param resBlocks        LDM's {@code num_res_blocks}
     * @param outChannels      channels of the output (LDM: z_channels, doubled for the KL-VAE)
     */
    public ConvEncoder(int inChannels, int baseWidth, List<Integer> widthMultipliers, int resBlocks, int outChannels) {
        checkMultipliers(widthMultipliers, baseWidth, resBlocks);
        int width = baseWidth * widthMultipliers.get(0);
        append("conv_in", Convs.same3x3(width));
        int levels = widthMultipliers.size();
        for (int level = 0; level < levels; level++) {
            int levelWidth = baseWidth * widthMultipliers.get(level);
            for (int r = 0; r < resBlocks; r++) {
                append("down" + level + "_block" + r, new ResnetBlock(width, levelWidth));
                width = levelWidth;
            }
            if (level != levels - 1) {
                append("down" + level + "_downsample", new Downsample(width));
            }
        }
        append("mid_block1", new ResnetBlock(width, width));
        append("mid_block2", new ResnetBlock(width, width));
        appendHead(width, outChannels);
        this.stride = 1 << (levels - 1);
    }

    /** The downsampling factor, 2^(levels - 1). */
    public int stride() {
        return stride;
    }
}
