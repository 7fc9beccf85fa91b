package lab.d2c.model.nn;

import java.util.List;

/**
 * The convolutional decoder of LDM and LlamaGen ({@code Decoder} in both codebases), the mirror of
 * {@link ConvEncoder}: conv_in to the widest level, a middle of two {@link ResnetBlock}s, then from
 * the last level to the first {@code resBlocks + 1} ResnetBlocks per level with an {@link Upsample}
 * after every level but the first, then norm -> SiLU -> conv to {@code outChannels}.
 * No attention blocks (LDM / LlamaGen have them in the middle and at the lowest level).
 */
public final class ConvDecoder extends ConvStack {

    /**
     * @param inChannels       latent channels (LDM: z_channels)
     * @param baseWidth        LDM's {@code ch}
     * @param widthMultipliers LDM's {@code ch_mult}, the same list as the encoder's
     * @param resBlocks        LDM's {@code num_res_blocks} (each level runs one more)
     * @param outChannels      image channels
     */
    public ConvDecoder(int inChannels, int baseWidth, List<Integer> widthMultipliers, int resBlocks, int outChannels) {
        checkMultipliers(widthMultipliers, baseWidth, resBlocks);
        int levels = widthMultipliers.size();
        int width = baseWidth * widthMultipliers.get(levels - 1);
        append("conv_in", Convs.same3x3(width));
        append("mid_block1", new ResnetBlock(width, width));
        append("mid_block2", new ResnetBlock(width, width));
        for (int level = levels - 1; level >= 0; level--) {
            int levelWidth = baseWidth * widthMultipliers.get(level);
            for (int r = 0; r < resBlocks + 1; r++) {
                append("up" + level + "_block" + r, new ResnetBlock(width, levelWidth));
                width = levelWidth;
            }
            if (level != 0) {
                append("up" + level + "_upsample", new Upsample(width));
            }
        }
        appendHead(width, outChannels);
    }
}
