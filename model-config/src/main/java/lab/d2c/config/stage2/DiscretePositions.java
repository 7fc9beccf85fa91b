package lab.d2c.config.stage2;

import lab.d2c.config.ConfigEnum;

/**
 * Whether the discrete features carry where each token sits on the grid before an attention fusion
 * module reads them (the {@code stage2.discrete_positions} key).
 *
 * <p>Eq. 4 of the paper is {@code h_q = Linear(Embed(q))} with no position term. The cross-attention
 * (Eq. 5-6) uses those rows as keys and values, and the Q-Former (Eq. 7) self-attends over them and then
 * cross-attends to them: reordering the rows changes neither output, so without a position term z
 * depends on which codes occur, not where, and stage one's layout (which stage one models with 2-D RoPE,
 * section 4.1) never reaches stage two. The paper does not say whether its fusion modules add positions;
 * a fusion that cannot see the layout cannot pass it on, so {@code learned} is the default reading.
 * DisCon adds the features position by position and is not affected either way.
 */
public enum DiscretePositions implements ConfigEnum {
    /**
     * A learned absolute embedding per grid cell (one unfactored vector per raster index row * grid + col,
     * as MAR's table has one per token), added to the projected discrete features (after
     * Eq. 4's Linear, in the width of the blocks that read them), initialized N(0, 0.02^2): as MAR's
     * {@code encoder_pos_embed_learned} is added after {@code z_proj} (LTH14/mar models/mar.py lines 73,
     * 112, 189). Not stage one's 2-D RoPE: RoPE rotates queries and keys only, so the values (what the
     * queries read) would stay order-blind, and the MAE's buffer rows and the Q-Former's queries have no
     * grid position to rotate by.
     */
    LEARNED("learned"),
    /** The literal Eq. 4: no position term, the model as it was before the switch (an ablation arm). */
    NONE("none");

    private final String key;

    DiscretePositions(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /** The setting named {@code key}; the message names the config key and the settings there are. */
    public static DiscretePositions of(String key) {
        return ConfigEnum.parse(DiscretePositions.class, key, "stage2.discrete_positions");
    }

    public static String keys() {
        return ConfigEnum.joinedKeys(DiscretePositions.class);
    }
}
