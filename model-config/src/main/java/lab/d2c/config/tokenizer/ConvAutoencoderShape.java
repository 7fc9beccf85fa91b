package lab.d2c.config.tokenizer;

import java.util.List;

/**
 * The shape every conv tokenizer config shares (VQ, KL-VAE, RDPM's): the image and the conv stack, whose
 * size - 1 levels each halve the side (LDM's and VQGAN's {@code ch_mult}).
 */
public interface ConvAutoencoderShape {

    int imageSize();

    int imageChannels();

    int baseWidth();

    List<Integer> widthMultipliers();

    int resBlocks();

    /** The downsampling factor 2^(levels - 1). */
    default int stride() {
        return 1 << (widthMultipliers().size() - 1);
    }

    /** Tokens per side: imageSize / stride. */
    default int tokenGrid() {
        return imageSize() / stride();
    }
}
