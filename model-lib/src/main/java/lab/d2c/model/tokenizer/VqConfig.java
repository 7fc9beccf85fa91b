package lab.d2c.model.tokenizer;

import java.util.List;

/**
 * The VQ tokenizer's shape and loss settings, after LlamaGen's {@code ModelArgs}
 * (tokenizer/tokenizer_image/vq_model.py). Device-agnostic: where the model runs is the caller's choice.
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
        int deadCodeMinCount, int reinitInterval, boolean perceptualLoss, boolean adversarialLoss) {

    public VqConfig {
        widthMultipliers = widthMultipliers == null ? null : List.copyOf(widthMultipliers);
        TokenizerLosses.requireArchitecture("VqConfig", imageSize, imageChannels, baseWidth, widthMultipliers, resBlocks);
        positive("zChannels", zChannels);
        if (codebookSize < 2) {
            throw new IllegalArgumentException("VqConfig.codebookSize: must be >= 2, got " + codebookSize);
        }
        positive("codeDim", codeDim);
        if (!(commitmentBeta >= 0) || Double.isInfinite(commitmentBeta)) {
            throw new IllegalArgumentException("VqConfig.commitmentBeta: must be finite and >= 0, got " + commitmentBeta);
        }
        positive("usageWindow", usageWindow);
        positive("deadCodeMinCount", deadCodeMinCount);
        if (reinitInterval < 0) {
            throw new IllegalArgumentException("VqConfig.reinitInterval: must be >= 0 (0 = never), got " + reinitInterval);
        }
        TokenizerLosses.requireOff("VqConfig", perceptualLoss, adversarialLoss);
    }

    /** 32x32 grey images (Fashion-MNIST), stride 4 (8x8 tokens), small widths; minutes on 2 cores. */
    public static VqConfig tiny() {
        return new VqConfig(32, 1, 16, List.of(1, 2, 4), 1, 32, 512, 8, 0.25, 8192, 1, 200, false, false);
    }

    /** 256x256 RGB, stride 16 (16x16 tokens), LlamaGen VQ-16 sizes: codebook 16384, code dim 8. */
    public static VqConfig b() {
        return new VqConfig(256, 3, 128, List.of(1, 1, 2, 2, 4), 2, 256, 16384, 8, 0.25, 65536, 1, 2000, false, false);
    }

    /** The downsampling factor 2^(levels - 1). */
    public int stride() {
        return 1 << (widthMultipliers.size() - 1);
    }

    /** Tokens per side: imageSize / stride. */
    public int tokenGrid() {
        return imageSize / stride();
    }

    public VqConfig withImage(int size, int channels) {
        return new VqConfig(size, channels, baseWidth, widthMultipliers, resBlocks, zChannels, codebookSize, codeDim,
                commitmentBeta, usageWindow, deadCodeMinCount, reinitInterval, perceptualLoss, adversarialLoss);
    }

    public VqConfig withWidths(int base, List<Integer> multipliers, int blocks, int z) {
        return new VqConfig(imageSize, imageChannels, base, multipliers, blocks, z, codebookSize, codeDim,
                commitmentBeta, usageWindow, deadCodeMinCount, reinitInterval, perceptualLoss, adversarialLoss);
    }

    public VqConfig withCodebook(int size, int dim) {
        return new VqConfig(imageSize, imageChannels, baseWidth, widthMultipliers, resBlocks, zChannels, size, dim,
                commitmentBeta, usageWindow, deadCodeMinCount, reinitInterval, perceptualLoss, adversarialLoss);
    }

    public VqConfig withDeadCodes(int window, int minCount, int interval) {
        return new VqConfig(imageSize, imageChannels, baseWidth, widthMultipliers, resBlocks, zChannels, codebookSize,
                codeDim, commitmentBeta, window, minCount, interval, perceptualLoss, adversarialLoss);
    }

    private static void positive(String field, int value) {
        if (value < 1) {
            throw new IllegalArgumentException("VqConfig." + field + ": must be >= 1, got " + value);
        }
    }
}
