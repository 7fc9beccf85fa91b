package lab.d2c.model.tokenizer;

import java.util.List;

/**
 * The KL autoencoder's shape and loss settings, after LDM's first-stage configs
 * (configs/autoencoder/*kl*.yaml, {@code ddconfig} + {@code embed_dim}) and MAR's KL-16.
 * Device-agnostic.
 *
 * @param imageSize        height = width of the images, a multiple of the stride
 * @param imageChannels    1 (grey) or 3 (RGB)
 * @param baseWidth        LDM {@code ch} (128)
 * @param widthMultipliers LDM {@code ch_mult}; size - 1 halvings (KL-16: 1,1,2,2,4)
 * @param resBlocks        LDM {@code num_res_blocks} (2)
 * @param latentChannels   LDM {@code embed_dim} = {@code z_channels} (KL-16: 16)
 * @param klWeight         weight of the KL term (LDM {@code kl_weight} = 1e-6)
 * @param lossReduction    how reconstruction and KL are reduced, i.e. what klWeight is relative to:
 *                         {@link KlLossReduction#LDM} (LDM's per-image sums) or {@link KlLossReduction#MEAN}
 * @param perceptualLoss   must be false: LPIPS needs a pretrained VGG16 that cannot be fetched here
 * @param adversarialLoss  must be false: the GAN stage relies on the same pretrained networks
 */
public record KlVaeConfig(int imageSize, int imageChannels, int baseWidth, List<Integer> widthMultipliers,
        int resBlocks, int latentChannels, double klWeight, KlLossReduction lossReduction, boolean perceptualLoss,
        boolean adversarialLoss) {

    public KlVaeConfig {
        widthMultipliers = widthMultipliers == null ? null : List.copyOf(widthMultipliers);
        TokenizerLosses.requireArchitecture("KlVaeConfig", imageSize, imageChannels, baseWidth, widthMultipliers,
                resBlocks);
        if (latentChannels < 1) {
            throw new IllegalArgumentException("KlVaeConfig.latentChannels: must be >= 1, got " + latentChannels);
        }
        if (!(klWeight >= 0) || Double.isInfinite(klWeight)) {
            throw new IllegalArgumentException("KlVaeConfig.klWeight: must be finite and >= 0, got " + klWeight);
        }
        if (lossReduction == null) {
            throw new IllegalArgumentException("KlVaeConfig.lossReduction: must be LDM or MEAN, got null");
        }
        TokenizerLosses.requireOff("KlVaeConfig", perceptualLoss, adversarialLoss);
    }

    /** 32x32 grey images, stride 4 (8x8 latents of 4 channels), small widths. */
    public static KlVaeConfig tiny() {
        return new KlVaeConfig(32, 1, 16, List.of(1, 2, 4), 1, 4, 1e-6, KlLossReduction.LDM, false, false);
    }

    /** 256x256 RGB, LDM-style KL-16: stride 16, 16 latent channels. */
    public static KlVaeConfig b() {
        return new KlVaeConfig(256, 3, 128, List.of(1, 1, 2, 2, 4), 2, 16, 1e-6, KlLossReduction.LDM, false, false);
    }

    public int stride() {
        return 1 << (widthMultipliers.size() - 1);
    }

    public int latentGrid() {
        return imageSize / stride();
    }

    public KlVaeConfig withImage(int size, int channels) {
        return new KlVaeConfig(size, channels, baseWidth, widthMultipliers, resBlocks, latentChannels, klWeight,
                lossReduction, perceptualLoss, adversarialLoss);
    }

    public KlVaeConfig withWidths(int base, List<Integer> multipliers, int blocks) {
        return new KlVaeConfig(imageSize, imageChannels, base, multipliers, blocks, latentChannels, klWeight,
                lossReduction, perceptualLoss, adversarialLoss);
    }

    public KlVaeConfig withLatent(int channels, double weight) {
        return new KlVaeConfig(imageSize, imageChannels, baseWidth, widthMultipliers, resBlocks, channels, weight,
                lossReduction, perceptualLoss, adversarialLoss);
    }

    public KlVaeConfig withLossReduction(KlLossReduction reduction) {
        return new KlVaeConfig(imageSize, imageChannels, baseWidth, widthMultipliers, resBlocks, latentChannels,
                klWeight, reduction, perceptualLoss, adversarialLoss);
    }
}
