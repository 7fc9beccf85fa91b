package lab.d2c.config.tokenizer;

import java.util.List;
import lab.d2c.config.ConfigRules;

/**
 * The rules both autoencoder configs share: their conv architecture, and the losses they may switch on.
 * Perceptual (LPIPS over a pretrained VGG16) and adversarial (LlamaGen's and LDM's GAN stage, weighted
 * against the perceptual loss and, in LlamaGen, optionally with a pretrained DINO discriminator) losses
 * need pretrained networks that cannot be fetched here, so both must stay off; the configs reject
 * {@code true} with this message. Public for the other autoencoders' configs (RDPM's tokenizer,
 * {@code lab.d2c.config.rdpm.RdpmTokenizerConfig}), which share these rules.
 */
public final class TokenizerLosses {

    public static final String UNAVAILABLE = "needs pretrained networks that cannot be fetched here "
            + "(LPIPS/VGG16 for the perceptual loss, which LlamaGen's and LDM's adversarial stage also relies on); must be false";

    private TokenizerLosses() {
    }

    /** @param p the config section with its dot, e.g. {@code vq.} or {@code vae.} */
    public static void requireOff(ConfigRules rules, String p, boolean perceptualLoss, boolean adversarialLoss) {
        rules.check(!perceptualLoss, p + "perceptual_loss", p + "perceptual_loss " + UNAVAILABLE)
                .check(!adversarialLoss, p + "adversarial_loss", p + "adversarial_loss " + UNAVAILABLE);
    }

    /** Channels 1 or 3, positive widths and blocks, and an image side that the stride 2^(levels - 1) divides. */
    public static void requireArchitecture(ConfigRules rules, String p, int imageSize, int imageChannels, int baseWidth,
            List<Integer> widthMultipliers, int resBlocks) {
        rules.check(imageChannels == 1 || imageChannels == 3, p + "image_channels",
                        p + "image_channels must be 1 or 3, got " + imageChannels)
                .atLeast(p + "base_width", baseWidth, 1);
        boolean levels = widthMultipliers != null && !widthMultipliers.isEmpty();
        rules.check(levels, p + "width_multipliers", p + "width_multipliers needs at least one entry");
        for (int i = 0; levels && i < widthMultipliers.size(); i++) {
            Integer w = widthMultipliers.get(i);
            rules.check(w != null && w >= 1, p + "width_multipliers",
                    p + "width_multipliers[" + i + "] must be >= 1, got " + w);
        }
        rules.atLeast(p + "res_blocks", resBlocks, 1);
        if (levels) {
            int stride = 1 << (widthMultipliers.size() - 1);
            rules.check(imageSize >= 1 && imageSize % stride == 0, p + "image_size", p + "image_size must be a "
                    + "positive multiple of the stride " + stride + " (2^(width_multipliers levels - 1)), got " + imageSize);
        }
    }
}
