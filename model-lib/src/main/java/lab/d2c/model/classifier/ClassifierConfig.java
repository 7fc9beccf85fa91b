package lab.d2c.model.classifier;

import java.util.List;

/**
 * The dataset classifier's sizes (its {@code ModelArgs}).
 *
 * @param imageSize        square input side
 * @param imageChannels    1 (grey) or 3
 * @param numClasses       output classes
 * @param baseWidth        the convolutional trunk's first width
 * @param widthMultipliers width per level; every level ends in 2x2 max pooling, halving the resolution
 * @param convsPerLevel    3x3 convolutions per level
 * @param featureDim       the penultimate width: the feature dimension of the metrics
 */
public record ClassifierConfig(int imageSize, int imageChannels, int numClasses, int baseWidth,
        List<Integer> widthMultipliers, int convsPerLevel, int featureDim) {

    public ClassifierConfig {
        widthMultipliers = List.copyOf(widthMultipliers);
        require(imageSize >= 4, "imageSize", "must be >= 4, got " + imageSize);
        require(imageChannels == 1 || imageChannels == 3, "imageChannels", "must be 1 or 3, got " + imageChannels);
        require(numClasses >= 2, "numClasses", "must be >= 2, got " + numClasses);
        require(baseWidth >= 1, "baseWidth", "must be >= 1, got " + baseWidth);
        require(!widthMultipliers.isEmpty(), "widthMultipliers", "need at least one level");
        require(widthMultipliers.stream().allMatch(m -> m != null && m >= 1), "widthMultipliers",
                "all must be >= 1, got " + widthMultipliers);
        require(imageSize % (1 << widthMultipliers.size()) == 0, "widthMultipliers",
                widthMultipliers.size() + " levels halve " + imageSize + " to a fraction");
        require(convsPerLevel >= 1, "convsPerLevel", "must be >= 1, got " + convsPerLevel);
        require(featureDim >= 2, "featureDim", "must be >= 2, got " + featureDim);
    }

    /** The tiny preset's: 32x32 grey, widths 16/32/64 (one conv each), 128 features. */
    public static ClassifierConfig tiny(int numClasses) {
        return new ClassifierConfig(32, 1, numClasses, 16, List.of(1, 2, 4), 1, 128);
    }

    /** The side of the last level's map: imageSize / 2^levels. */
    public int finalSide() {
        return imageSize >> widthMultipliers.size();
    }

    /** Channels of the last level's map. */
    public int finalWidth() {
        return baseWidth * widthMultipliers.get(widthMultipliers.size() - 1);
    }

    private static void require(boolean ok, String field, String reason) {
        if (!ok) {
            throw new IllegalArgumentException(field + ": " + reason);
        }
    }
}
