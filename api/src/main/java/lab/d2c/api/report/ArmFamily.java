package lab.d2c.api.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import lab.d2c.workflows.graph.ArmGenerator;

/**
 * Which model an arm scores, read from its full config (a named arm's label hides its overrides):
 * an RDPM arm ({@code generator: rdpm}), the discrete-only baseline ({@code eval.images:
 * decode-stage1}), else D2C's {@code stage2.fusion} (none is MAR). And the pairs the D2C paper
 * compares: each fusion against MAR (Table 1), MAR against discrete-only (Table 1), Q-Former against
 * cross-attention (Table 2), encoder-decoder against decoder-only Q-Former (Table 3).
 */
public final class ArmFamily {

    public static final String RDPM = "rdpm";
    public static final String DISCRETE_ONLY = "discrete-only";
    public static final String MAR = "mar";

    /** (a, b): the report shows FID(a) - FID(b). */
    public static final List<List<String>> PAIRS = List.of(
            List.of("cross-attention", MAR), List.of("q-former", MAR), List.of("q-former-decoder", MAR),
            List.of("discon", MAR), List.of(MAR, DISCRETE_ONLY), List.of("q-former", "cross-attention"),
            List.of("q-former", "q-former-decoder"));

    private ArmFamily() {
    }

    /** The family of an experiment's config; null when it has no stage two and is not one of the above. */
    public static String of(ObjectNode config) {
        if (ArmGenerator.rdpm(config)) {
            return RDPM;
        }
        if (config.at("/eval/images").asText("sample").equals("decode-stage1")) {
            return DISCRETE_ONLY;
        }
        String fusion = config.at("/stage2/fusion").asText("");
        if (fusion.isEmpty()) {
            return null;
        }
        return fusion.equals("none") ? MAR : fusion;
    }
}
