package lab.d2c.model.tokenizer;

/**
 * The losses the tokenizer configs may switch on. Perceptual (LPIPS over a pretrained VGG16) and
 * adversarial (LlamaGen's and LDM's GAN stage, weighted against the perceptual loss and, in LlamaGen,
 * optionally with a pretrained DINO discriminator) losses need pretrained networks that cannot be
 * fetched here, so both must stay off; the configs reject {@code true} with this message.
 */
final class TokenizerLosses {

    static final String UNAVAILABLE = "needs pretrained networks that cannot be fetched here "
            + "(LPIPS/VGG16 for the perceptual loss, which LlamaGen's and LDM's adversarial stage also relies on); must be false";

    private TokenizerLosses() {
    }

    static void requireOff(String owner, boolean perceptualLoss, boolean adversarialLoss) {
        if (perceptualLoss) {
            throw new IllegalArgumentException(owner + ".perceptualLoss: " + UNAVAILABLE);
        }
        if (adversarialLoss) {
            throw new IllegalArgumentException(owner + ".adversarialLoss: " + UNAVAILABLE);
        }
    }

    static void requireArchitecture(String owner, int imageSize, int imageChannels, int baseWidth,
            java.util.List<Integer> widthMultipliers, int resBlocks) {
        if (imageChannels != 1 && imageChannels != 3) {
            throw new IllegalArgumentException(owner + ".imageChannels: must be 1 or 3, got " + imageChannels);
        }
        if (baseWidth < 1) {
            throw new IllegalArgumentException(owner + ".baseWidth: must be >= 1, got " + baseWidth);
        }
        if (widthMultipliers == null || widthMultipliers.isEmpty()) {
            throw new IllegalArgumentException(owner + ".widthMultipliers: need at least one entry");
        }
        for (int i = 0; i < widthMultipliers.size(); i++) {
            if (widthMultipliers.get(i) == null || widthMultipliers.get(i) < 1) {
                throw new IllegalArgumentException(owner + ".widthMultipliers[" + i + "]: must be >= 1, got "
                        + widthMultipliers.get(i));
            }
        }
        if (resBlocks < 1) {
            throw new IllegalArgumentException(owner + ".resBlocks: must be >= 1, got " + resBlocks);
        }
        int stride = 1 << (widthMultipliers.size() - 1);
        if (imageSize < 1 || imageSize % stride != 0) {
            throw new IllegalArgumentException(owner + ".imageSize: must be a positive multiple of the stride "
                    + stride + " (2^(widthMultipliers.size - 1)), got " + imageSize);
        }
    }
}
