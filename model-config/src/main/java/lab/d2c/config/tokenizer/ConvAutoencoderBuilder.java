package lab.d2c.config.tokenizer;

import static lab.d2c.config.ConfigValues.integer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The part of an autoencoder config's builder that every conv tokenizer shares (VQ, KL-VAE, RDPM's):
 * the image, set from the data, and the conv stack's shape, whose defaults are the LDM/VQGAN f16 stack
 * (ch 128, ch_mult 1,1,2,2,4, 2 residual blocks per level).
 *
 * @param <B> the concrete builder, returned by every setter so calls chain
 */
public abstract class ConvAutoencoderBuilder<B extends ConvAutoencoderBuilder<B>> {

    protected int imageSize;
    protected int imageChannels;
    protected int baseWidth = 128;
    protected List<Integer> widthMultipliers = List.of(1, 1, 2, 2, 4);
    protected int resBlocks = 2;

    protected ConvAutoencoderBuilder() {
    }

    /** This builder, typed as its subclass. */
    protected abstract B self();

    public B setImageSize(int imageSize) {
        this.imageSize = imageSize;
        return self();
    }

    public B setImageChannels(int imageChannels) {
        this.imageChannels = imageChannels;
        return self();
    }

    public B optBaseWidth(int baseWidth) {
        this.baseWidth = baseWidth;
        return self();
    }

    public B optWidthMultipliers(List<Integer> widthMultipliers) {
        this.widthMultipliers = widthMultipliers;
        return self();
    }

    public B optResBlocks(int resBlocks) {
        this.resBlocks = resBlocks;
        return self();
    }

    /**
     * The image from the data, and the conv stack from a config section's {@code base_width},
     * {@code width_multipliers} and {@code res_blocks} keys.
     *
     * @param p the section with its dot, e.g. {@code vq.}
     */
    public B readShape(JsonNode config, String p, int imageSize, int imageChannels) {
        return setImageSize(imageSize).setImageChannels(imageChannels)
                .optBaseWidth(integer(config, p + "base_width"))
                .optWidthMultipliers(WidthMultipliers.parse(config, p + "width_multipliers"))
                .optResBlocks(integer(config, p + "res_blocks"));
    }
}
