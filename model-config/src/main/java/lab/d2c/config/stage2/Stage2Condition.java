package lab.d2c.config.stage2;

import lab.d2c.config.ConfigEnum;

/**
 * Which discrete tokens stage two is conditioned on while it trains (the {@code stage2.condition} key).
 * Only read when the fusion uses discrete tokens; at sampling time the condition is always stage one's samples.
 */
public enum Stage2Condition implements ConfigEnum {
    /**
     * Stage one's teacher-forced predictions (paper section 4.2): stage two learns on the kind of tokens
     * it will see when sampling, so the planner adds a predict-stage1 node for it (the default).
     */
    STAGE1_PREDICTIONS("stage1-predictions"),
    /** The image's own codes (DisCon's setting): no predict-stage1 node. */
    GROUND_TRUTH("ground-truth");

    private final String key;

    Stage2Condition(String key) {
        this.key = key;
    }

    @Override
    public String key() {
        return key;
    }

    /**
     * Whether a config's {@code stage2.condition} value is {@link #STAGE1_PREDICTIONS}, compared exactly
     * as configs spell it (the spec schema only admits the keys).
     */
    public static boolean onPredictions(String value) {
        return STAGE1_PREDICTIONS.key.equals(value);
    }
}
