package lab.d2c.config.tokenizer;

import static lab.d2c.config.ConfigValues.bool;
import static lab.d2c.config.ConfigValues.integer;
import static lab.d2c.config.ConfigValues.number;
import static lab.d2c.config.ConfigValues.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import lab.d2c.config.ConfigEnum;
import lab.d2c.config.ConfigRules;

/**
 * The KL autoencoder's shape and loss settings, after LDM's first-stage configs
 * (configs/autoencoder/*kl*.yaml, {@code ddconfig} + {@code embed_dim}) and MAR's KL-16.
 * Device-agnostic. Field names follow the {@code vae.*} config keys; the image's size and channels are
 * the data's. Built from a config tree by {@link #fromConfig}, both when a sweep is submitted and when
 * the node trains; otherwise with {@link #builder()}, whose defaults are KL-16's ({@link #b}).
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
        boolean adversarialLoss) implements ConvAutoencoderShape {

    private static final String P = "vae.";

    public KlVaeConfig {
        widthMultipliers = widthMultipliers == null ? null : List.copyOf(widthMultipliers);
        ConfigRules rules = new ConfigRules();
        TokenizerLosses.requireArchitecture(rules, P, imageSize, imageChannels, baseWidth, widthMultipliers,
                resBlocks);
        rules.atLeast(P + "latent_channels", latentChannels, 1)
                .check(klWeight >= 0 && !Double.isInfinite(klWeight), P + "kl_weight",
                        P + "kl_weight must be finite and >= 0, got " + klWeight)
                .required(P + "loss_reduction", lossReduction, ConfigEnum.joinedKeys(KlLossReduction.class));
        TokenizerLosses.requireOff(rules, P, perceptualLoss, adversarialLoss);
        rules.throwIfBroken();
    }

    /**
     * The autoencoder a config tree's {@code vae} section describes, for images of this size (the
     * {@code vae.*} keys; the image comes from the caller).
     *
     * @param config        the nested config
     * @param imageSize     the images' side (data.image_size)
     * @param imageChannels the images' channels (data.channels)
     * @throws lab.d2c.config.ConfigException naming each bad key
     */
    public static KlVaeConfig fromConfig(JsonNode config, int imageSize, int imageChannels) {
        return builder().readShape(config, P, imageSize, imageChannels)
                .optLatentChannels(integer(config, P + "latent_channels"))
                .optKlWeight(number(config, P + "kl_weight"))
                .optLossReduction(parse(config, P + "loss_reduction", KlVaeConfig::lossReduction))
                .optPerceptualLoss(bool(config, P + "perceptual_loss"))
                .optAdversarialLoss(bool(config, P + "adversarial_loss"))
                .build();
    }

    /** {@code vae.loss_reduction}: ldm or mean; the message names the key. */
    private static KlLossReduction lossReduction(String name) {
        try {
            return KlLossReduction.parse(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(P + "loss_reduction: must be " + String.join(" or ",
                    ConfigEnum.keys(KlLossReduction.class)) + ", got '" + name + "'", e);
        }
    }

    /** 32x32 grey images, stride 4 (8x8 latents of 4 channels), small widths. */
    public static KlVaeConfig tiny() {
        return builder().setImageSize(32).setImageChannels(1).optBaseWidth(16).optWidthMultipliers(List.of(1, 2, 4))
                .optResBlocks(1).optLatentChannels(4).build();
    }

    /** 256x256 RGB, LDM-style KL-16: stride 16, 16 latent channels. */
    public static KlVaeConfig b() {
        return builder().setImageSize(256).setImageChannels(3).build();
    }

    /** Latents per side: the {@link #tokenGrid()}. */
    public int latentGrid() {
        return tokenGrid();
    }

    public KlVaeConfig withImage(int size, int channels) {
        return toBuilder().setImageSize(size).setImageChannels(channels).build();
    }

    public KlVaeConfig withWidths(int base, List<Integer> multipliers, int blocks) {
        return toBuilder().optBaseWidth(base).optWidthMultipliers(multipliers).optResBlocks(blocks).build();
    }

    public KlVaeConfig withLatent(int channels, double weight) {
        return toBuilder().optLatentChannels(channels).optKlWeight(weight).build();
    }

    public KlVaeConfig withLossReduction(KlLossReduction reduction) {
        return toBuilder().optLossReduction(reduction).build();
    }

    /** A builder whose optional values are KL-16's ({@link #b}); the image's size and channels are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every value of this config. */
    public Builder toBuilder() {
        return builder().setImageSize(imageSize).setImageChannels(imageChannels).optBaseWidth(baseWidth)
                .optWidthMultipliers(widthMultipliers).optResBlocks(resBlocks).optLatentChannels(latentChannels)
                .optKlWeight(klWeight).optLossReduction(lossReduction).optPerceptualLoss(perceptualLoss)
                .optAdversarialLoss(adversarialLoss);
    }

    /** Builds a {@link KlVaeConfig}: {@code setX} for the image, {@code optX} for the rest (KL-16's defaults). */
    public static final class Builder extends ConvAutoencoderBuilder<Builder> {

        private int latentChannels = 16;
        private double klWeight = 1e-6;
        private KlLossReduction lossReduction = KlLossReduction.LDM;
        private boolean perceptualLoss;
        private boolean adversarialLoss;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optLatentChannels(int latentChannels) {
            this.latentChannels = latentChannels;
            return this;
        }

        public Builder optKlWeight(double klWeight) {
            this.klWeight = klWeight;
            return this;
        }

        public Builder optLossReduction(KlLossReduction lossReduction) {
            this.lossReduction = lossReduction;
            return this;
        }

        public Builder optPerceptualLoss(boolean perceptualLoss) {
            this.perceptualLoss = perceptualLoss;
            return this;
        }

        public Builder optAdversarialLoss(boolean adversarialLoss) {
            this.adversarialLoss = adversarialLoss;
            return this;
        }

        /** @throws lab.d2c.config.ConfigException naming each bad key */
        public KlVaeConfig build() {
            return new KlVaeConfig(imageSize, imageChannels, baseWidth, widthMultipliers, resBlocks, latentChannels,
                    klWeight, lossReduction, perceptualLoss, adversarialLoss);
        }
    }
}
