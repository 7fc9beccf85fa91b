package lab.d2c.config.tokenizer;

import static lab.d2c.config.ConfigValues.bool;
import static lab.d2c.config.ConfigValues.integer;
import static lab.d2c.config.ConfigValues.number;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import lab.d2c.config.ConfigRules;

/**
 * The VQ tokenizer's shape and loss settings, after LlamaGen's {@code ModelArgs}
 * (tokenizer/tokenizer_image/vq_model.py). Device-agnostic: where the model runs is the caller's choice.
 * Field names follow the {@code vq.*} config keys; the image's size and channels are the data's. Built
 * from a config tree by {@link #fromConfig}, both when a sweep is submitted and when the node trains;
 * otherwise with {@link #builder()}, whose defaults are VQ-16's ({@link #b}).
 *
 * @param imageSize        height = width of the images, a multiple of the stride
 * @param imageChannels    1 (grey) or 3 (RGB)
 * @param baseWidth        encoder/decoder base width (LlamaGen {@code ch} = 128)
 * @param widthMultipliers per-level width multipliers (LlamaGen {@code ch_mult}); size - 1 halvings
 * @param resBlocks        residual blocks per level (LlamaGen {@code num_res_blocks} = 2)
 * @param zChannels        encoder output width before the 1x1 quant conv (LlamaGen {@code z_channels} = 256)
 * @param codebookSize     number of codes K (LlamaGen VQ-16: 16384)
 * @param codeDim          code dimension (LlamaGen VQ-16: 8)
 * @param commitmentBeta   weight of the commitment loss (LlamaGen {@code commit_loss_beta} = 0.25)
 * @param usageWindow      code assignments kept to measure usage (LlamaGen keeps the last 65536)
 * @param deadCodeMinCount a code used fewer times than this in the usage window is dead
 * @param reinitInterval   dead codes are re-initialized every this many steps; 0 = never
 * @param perceptualLoss   must be false: LPIPS needs a pretrained VGG16 that cannot be fetched here
 * @param adversarialLoss  must be false: the GAN stage relies on the same pretrained networks
 */
public record VqConfig(int imageSize, int imageChannels, int baseWidth, List<Integer> widthMultipliers,
        int resBlocks, int zChannels, int codebookSize, int codeDim, double commitmentBeta, int usageWindow,
        int deadCodeMinCount, int reinitInterval, boolean perceptualLoss, boolean adversarialLoss)
        implements ConvAutoencoderShape {

    private static final String P = "vq.";

    public VqConfig {
        widthMultipliers = widthMultipliers == null ? null : List.copyOf(widthMultipliers);
        ConfigRules rules = new ConfigRules();
        TokenizerLosses.requireArchitecture(rules, P, imageSize, imageChannels, baseWidth, widthMultipliers, resBlocks);
        rules.atLeast(P + "z_channels", zChannels, 1)
                .atLeast(P + "codebook_size", codebookSize, 2)
                .atLeast(P + "code_dim", codeDim, 1)
                .check(commitmentBeta >= 0 && !Double.isInfinite(commitmentBeta), P + "commitment_beta",
                        P + "commitment_beta must be finite and >= 0, got " + commitmentBeta)
                .atLeast(P + "usage_window", usageWindow, 1)
                .atLeast(P + "dead_code_min_count", deadCodeMinCount, 1)
                .check(reinitInterval >= 0, P + "reinit_interval",
                        P + "reinit_interval must be >= 0 (0 = never), got " + reinitInterval);
        TokenizerLosses.requireOff(rules, P, perceptualLoss, adversarialLoss);
        rules.throwIfBroken();
    }

    /**
     * The tokenizer a config tree's {@code vq} section describes, for images of this size (the
     * {@code vq.*} keys; the image comes from the caller).
     *
     * @param config        the nested config
     * @param imageSize     the images' side (data.image_size)
     * @param imageChannels the images' channels (data.channels)
     * @throws lab.d2c.config.ConfigException naming each bad key
     */
    public static VqConfig fromConfig(JsonNode config, int imageSize, int imageChannels) {
        return builder().readShape(config, P, imageSize, imageChannels)
                .optZChannels(integer(config, P + "z_channels"))
                .optCodebookSize(integer(config, P + "codebook_size"))
                .optCodeDim(integer(config, P + "code_dim"))
                .optCommitmentBeta(number(config, P + "commitment_beta"))
                .optUsageWindow(integer(config, P + "usage_window"))
                .optDeadCodeMinCount(integer(config, P + "dead_code_min_count"))
                .optReinitInterval(integer(config, P + "reinit_interval"))
                .optPerceptualLoss(bool(config, P + "perceptual_loss"))
                .optAdversarialLoss(bool(config, P + "adversarial_loss"))
                .build();
    }

    /** 32x32 grey images (Fashion-MNIST), stride 4 (8x8 tokens), small widths; minutes on 2 cores. */
    public static VqConfig tiny() {
        return builder().setImageSize(32).setImageChannels(1).optBaseWidth(16).optWidthMultipliers(List.of(1, 2, 4))
                .optResBlocks(1).optZChannels(32).optCodebookSize(512).optUsageWindow(8192).optReinitInterval(200)
                .build();
    }

    /** 256x256 RGB, stride 16 (16x16 tokens), LlamaGen VQ-16 sizes: codebook 16384, code dim 8. */
    public static VqConfig b() {
        return builder().setImageSize(256).setImageChannels(3).build();
    }

    public VqConfig withImage(int size, int channels) {
        return toBuilder().setImageSize(size).setImageChannels(channels).build();
    }

    public VqConfig withWidths(int base, List<Integer> multipliers, int blocks, int z) {
        return toBuilder().optBaseWidth(base).optWidthMultipliers(multipliers).optResBlocks(blocks).optZChannels(z)
                .build();
    }

    public VqConfig withCodebook(int size, int dim) {
        return toBuilder().optCodebookSize(size).optCodeDim(dim).build();
    }

    public VqConfig withDeadCodes(int window, int minCount, int interval) {
        return toBuilder().optUsageWindow(window).optDeadCodeMinCount(minCount).optReinitInterval(interval).build();
    }

    /** A builder whose optional values are VQ-16's ({@link #b}); the image's size and channels are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every value of this config. */
    public Builder toBuilder() {
        return builder().setImageSize(imageSize).setImageChannels(imageChannels).optBaseWidth(baseWidth)
                .optWidthMultipliers(widthMultipliers).optResBlocks(resBlocks).optZChannels(zChannels)
                .optCodebookSize(codebookSize).optCodeDim(codeDim).optCommitmentBeta(commitmentBeta)
                .optUsageWindow(usageWindow).optDeadCodeMinCount(deadCodeMinCount).optReinitInterval(reinitInterval)
                .optPerceptualLoss(perceptualLoss).optAdversarialLoss(adversarialLoss);
    }

    /** Builds a {@link VqConfig}: {@code setX} for the image, {@code optX} for the rest (VQ-16's defaults). */
    public static final class Builder extends ConvAutoencoderBuilder<Builder> {

        private int zChannels = 256;
        private int codebookSize = 16384;
        private int codeDim = 8;
        private double commitmentBeta = 0.25;
        private int usageWindow = 65536;
        private int deadCodeMinCount = 1;
        private int reinitInterval = 2000;
        private boolean perceptualLoss;
        private boolean adversarialLoss;

        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        public Builder optZChannels(int zChannels) {
            this.zChannels = zChannels;
            return this;
        }

        public Builder optCodebookSize(int codebookSize) {
            this.codebookSize = codebookSize;
            return this;
        }

        public Builder optCodeDim(int codeDim) {
            this.codeDim = codeDim;
            return this;
        }

        public Builder optCommitmentBeta(double commitmentBeta) {
            this.commitmentBeta = commitmentBeta;
            return this;
        }

        public Builder optUsageWindow(int usageWindow) {
            this.usageWindow = usageWindow;
            return this;
        }

        public Builder optDeadCodeMinCount(int deadCodeMinCount) {
            this.deadCodeMinCount = deadCodeMinCount;
            return this;
        }

        public Builder optReinitInterval(int reinitInterval) {
            this.reinitInterval = reinitInterval;
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
        public VqConfig build() {
            return new VqConfig(imageSize, imageChannels, baseWidth, widthMultipliers, resBlocks, zChannels,
                    codebookSize, codeDim, commitmentBeta, usageWindow, deadCodeMinCount, reinitInterval,
                    perceptualLoss, adversarialLoss);
        }
    }
}
