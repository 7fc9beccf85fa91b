package lab.d2c.config.stage2;

import lab.d2c.config.ConfigEnum;

/**
 * How stage two reads the discrete tokens (paper section 4.3; the {@code fusion} key).
 */
public enum FusionKind implements ConfigEnum {
    /** The MAR baseline: no discrete tokens. */
    NONE("none"),
    /** A pre-norm cross-attention in every encoder and decoder block, keys and values from the discrete features (Eq. 4-6). */
    CROSS_ATTENTION("cross-attention"),
    /** An encoder-decoder Q-Former whose L query outputs take L buffer slots (Eq. 7, Table 2). */
    Q_FORMER("q-former"),
    /** The decoder-only Q-Former of Table 3: the queries attend to the discrete features directly. */
    Q_FORMER_DECODER("q-former-decoder"),
    /**
     * DisCon: discrete features added position-wise to the continuous inputs (DisCon, Zheng et al.
     * 2025, arXiv:2507.01756, section 3.3).
     */
    DISCON("discon");

    private final String key;

    FusionKind(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    public boolean usesDiscreteTokens() {
        return this != NONE;
    }

    /**
     * Whether the discrete features are read only through attention (keys and values, or the Q-Former),
     * which is blind to their order: the kinds that {@link DiscretePositions} gives a position term.
     */
    public boolean attendsToDiscreteTokens() {
        return this == CROSS_ATTENTION || qFormer();
    }

    public boolean qFormer() {
        return this == Q_FORMER || this == Q_FORMER_DECODER;
    }

    /** The kind named {@code key}; the message lists the kinds there are. */
    public static FusionKind of(String key) {
        return ConfigEnum.parse(FusionKind.class, key, "fusion");
    }

    public static String keys() {
        return ConfigEnum.joinedKeys(FusionKind.class);
    }
}
