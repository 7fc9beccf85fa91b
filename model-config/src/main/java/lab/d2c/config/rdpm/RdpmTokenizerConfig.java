package lab.d2c.config.rdpm;

import static lab.d2c.config.ConfigValues.bool;
import static lab.d2c.config.ConfigValues.integer;
import static lab.d2c.config.ConfigValues.number;
import static lab.d2c.config.ConfigValues.parse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import lab.d2c.config.ConfigEnum;
import lab.d2c.config.ConfigRules;
import lab.d2c.config.tokenizer.ConvAutoencoderBuilder;
import lab.d2c.config.tokenizer.ConvAutoencoderShape;
import lab.d2c.config.tokenizer.TokenizerLosses;
import lab.d2c.config.tokenizer.WidthMultipliers;

/**
 * RDPM's diffusion-based image tokenizer (Wu, Hu, Wei, arXiv:2412.18390, section 3.1, Algorithm 1):
 * a VQGAN-style conv autoencoder whose single quantization is replaced by T recurrent steps that mix
 * Gaussian noise into the residual latent (Eq. 2) and quantize it against one codebook. Device-agnostic.
 * Field names follow the {@code rdpm.tokenizer.*} config keys; the image's size and channels are the
 * data's. Built from a config tree by {@link #fromConfig}; otherwise with {@link #builder()}, whose
 * defaults are the paper's ImageNet tokenizer ({@link #b}).
 *
 * @param imageSize        height = width of the images, a multiple of the stride
 * @param imageChannels    1 (grey) or 3 (RGB)
 * @param baseWidth        encoder/decoder base width (VQGAN {@code ch} = 128)
 * @param widthMultipliers per-level width multipliers (VQGAN {@code ch_mult}); size - 1 halvings (section
 *                         4.2: downsampling 16, so five levels)
 * @param resBlocks        residual blocks per level (VQGAN {@code num_res_blocks} = 2)
 * @param zChannels        encoder output width before the 1x1 quant conv (VQGAN {@code z_channels} = 256)
 * @param codeDim          latent channels = code dimension d, which the layer norm at the encoder's end
 *                         normalizes (section 3.1; section 4.2: 32)
 * @param codebookSize     codes K of the one codebook all T steps share (section 4.2: 4096)
 * @param steps            quantization steps T (Table 2: 10, the paper's choice)
 * @param schedule         how alpha_t rises to alpha_T = 1 (Table 4; the paper adopts {@code pow})
 * @param phi              the {@code pow} schedule's base, in (0, 1): alpha_t = phi^(T - t) (Figure 5: 0.75
 *                         is best); checked for every schedule, read only by {@code pow}
 * @param gammaWeighting   Eq. 4's weight gamma_t = alpha_t on each step's quantization loss (Table 2
 *                         'weight'); false: gamma_t = 1
 * @param biasConv         a timestep-shared conv that turns each quantized vector into a bias added to
 *                         it (Table 2 'bias', section 4.2)
 * @param commitmentBeta   weight of the commitment term in each step's quantization loss (Eq. 5's
 *                         delta = 0.25 "following VQGAN", whose 0.25 weighs the commitment term while its
 *                         codebook term has weight 1)
 * @param perceptualLoss   must be false: LPIPS needs a pretrained VGG16 that cannot be fetched here (Eq. 5's
 *                         L_pept is left out)
 * @param adversarialLoss  must be false: the GAN stage relies on the same pretrained networks (Eq. 5's L_gan)
 */
public record RdpmTokenizerConfig(int imageSize, int imageChannels, int baseWidth, List<Integer> widthMultipliers,
        int resBlocks, int zChannels, int codeDim, int codebookSize, int steps, RdpmScheduleKind schedule, double phi,
        boolean gammaWeighting, boolean biasConv, double commitmentBeta, boolean perceptualLoss,
        boolean adversarialLoss) implements ConvAutoencoderShape {

    private static final String P = "rdpm.tokenizer.";

    public RdpmTokenizerConfig {
        widthMultipliers = widthMultipliers == null ? null : List.copyOf(widthMultipliers);
        ConfigRules rules = new ConfigRules();
        TokenizerLosses.requireArchitecture(rules, P, imageSize, imageChannels, baseWidth, widthMultipliers,
                resBlocks);
        rules.atLeast(P + "z_channels", zChannels, 1)
                .atLeast(P + "code_dim", codeDim, 1)
                .atLeast(P + "codebook_size", codebookSize, 2)
                .atLeast(P + "steps", steps, 1)
                .required(P + "schedule", schedule, ConfigEnum.joinedKeys(RdpmScheduleKind.class))
                // phi = 1 would keep alpha_t = 1 (no noise at all), phi <= 0 makes alpha_t vanish or alternate
                .check(phi > 0 && phi < 1, P + "phi", P + "phi must be in (0, 1), got " + phi)
                .check(commitmentBeta >= 0 && !Double.isInfinite(commitmentBeta), P + "commitment_beta",
                        P + "commitment_beta must be finite and >= 0, got " + commitmentBeta);
        TokenizerLosses.requireOff(rules, P, perceptualLoss, adversarialLoss);
        rules.throwIfBroken();
    }

    /**
     * The tokenizer a config tree's {@code rdpm.tokenizer} section describes, for images of this size.
     *
     * @param config        the nested config
     * @param imageSize     the images' side (data.image_size)
     * @param imageChannels the images' channels (data.channels)
     * @throws lab.d2c.config.ConfigException naming each bad key
     */
    public static RdpmTokenizerConfig fromConfig(JsonNode config, int imageSize, int imageChannels) {
        return builder().readShape(config, P, imageSize, imageChannels)
                .optZChannels(integer(config, P + "z_channels"))
                .optCodeDim(integer(config, P + "code_dim"))
                .optCodebookSize(integer(config, P + "codebook_size"))
                .optSteps(integer(config, P + "steps"))
                .optSchedule(parse(config, P + "schedule", RdpmScheduleKind::of))
                .optPhi(number(config, P + "phi"))
                .optGammaWeighting(bool(config, P + "gamma_weighting"))
                .optBiasConv(bool(config, P + "bias_conv"))
                .optCommitmentBeta(number(config, P + "commitment_beta"))
                .optPerceptualLoss(bool(config, P + "perceptual_loss"))
                .optAdversarialLoss(bool(config, P + "adversarial_loss"))
                .build();
    }

    /**
     * 32x32 grey images (Fashion-MNIST), stride 4 (8x8 tokens, the grid of the tiny VQ and KL presets),
     * small widths, 256 codes of dimension 8, T = 10 with the paper's schedule and switches.
     */
    public static RdpmTokenizerConfig tiny() {
        return builder().setImageSize(32).setImageChannels(1).optBaseWidth(16).optWidthMultipliers(List.of(1, 2, 4))
                .optResBlocks(1).optZChannels(32).optCodeDim(8).optCodebookSize(256).build();
    }

    /**
     * 256x256 RGB, the paper's tokenizer (section 4.2): stride 16 (16x16 tokens), 4096 codes of dimension
     * 32, T = 10 (Table 2), pow schedule with phi = 0.75 (Table 4, Figure 5), gamma weighting and bias conv
     * on (Table 2 Exp. 9); VQGAN's f16 widths, which the paper builds on.
     */
    public static RdpmTokenizerConfig b() {
        return builder().setImageSize(256).setImageChannels(3).build();
    }

    public RdpmTokenizerConfig withImage(int size, int channels) {
        return toBuilder().setImageSize(size).setImageChannels(channels).build();
    }

    public RdpmTokenizerConfig withWidths(int base, List<Integer> multipliers, int blocks, int z) {
        return toBuilder().optBaseWidth(base).optWidthMultipliers(multipliers).optResBlocks(blocks).optZChannels(z)
                .build();
    }

    public RdpmTokenizerConfig withCodebook(int size, int dim) {
        return toBuilder().optCodebookSize(size).optCodeDim(dim).build();
    }

    public RdpmTokenizerConfig withSteps(int newSteps, RdpmScheduleKind newSchedule, double newPhi) {
        return toBuilder().optSteps(newSteps).optSchedule(newSchedule).optPhi(newPhi).build();
    }

    /** Table 2's two switches: 'weight' (gamma_t = alpha_t) and 'bias' (the shared conv). */
    public RdpmTokenizerConfig withAblation(boolean weighting, boolean bias) {
        return toBuilder().optGammaWeighting(weighting).optBiasConv(bias).build();
    }

    /** A builder whose optional values are the paper's ({@link #b}); the image's size and channels are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every value of this config. */
    public Builder toBuilder() {
        return builder().setImageSize(imageSize).setImageChannels(imageChannels).optBaseWidth(baseWidth)
                .optWidthMultipliers(widthMultipliers).optResBlocks(resBlocks).optZChannels(zChannels)
                .optCodeDim(codeDim).optCodebookSize(codebookSize).optSteps(steps).optSchedule(schedule).optPhi(phi)
                .optGammaWeighting(gammaWeighting).optBiasConv(biasConv).optCommitmentBeta(commitmentBeta)
                .optPerceptualLoss(perceptualLoss).optAdversarialLoss(adversarialLoss);
    }

    /** Builds a {@link RdpmTokenizerConfig}: {@code setX} for the image, {@code optX} for the rest (the paper's defaults). */
    public static final class Builder extends ConvAutoencoderBuilder<Builder> {

        private int zChannels = 256;
        private int codeDim = 32;
        private int codebookSize = 4096;
        private int steps = 10;
        private RdpmScheduleKind schedule = RdpmScheduleKind.POW;
        private double phi = 0.75;
        private boolean gammaWeighting = true;
        private boolean biasConv = true;
        private double commitmentBeta = 0.25;
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

        public Builder optCodeDim(int codeDim) {
            this.codeDim = codeDim;
            return this;
        }

        public Builder optCodebookSize(int codebookSize) {
            this.codebookSize = codebookSize;
            return this;
        }

        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        public Builder optSchedule(RdpmScheduleKind schedule) {
            this.schedule = schedule;
            return this;
        }

        public Builder optPhi(double phi) {
            this.phi = phi;
            return this;
        }

        public Builder optGammaWeighting(boolean gammaWeighting) {
            this.gammaWeighting = gammaWeighting;
            return this;
        }

        public Builder optBiasConv(boolean biasConv) {
            this.biasConv = biasConv;
            return this;
        }

        public Builder optCommitmentBeta(double commitmentBeta) {
            this.commitmentBeta = commitmentBeta;
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
        public RdpmTokenizerConfig build() {
            return new RdpmTokenizerConfig(imageSize, imageChannels, baseWidth, widthMultipliers, resBlocks,
                    zChannels, codeDim, codebookSize, steps, schedule, phi, gammaWeighting, biasConv, commitmentBeta,
                    perceptualLoss, adversarialLoss);
        }
    }
}
