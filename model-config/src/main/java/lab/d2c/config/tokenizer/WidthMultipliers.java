package lab.d2c.config.tokenizer;

import java.util.ArrayList;
import java.util.List;
import lab.d2c.config.ConfigException;
import lab.d2c.config.ConfigValues;

/**
 * Reads a conv stack's per-level width multipliers (LlamaGen's and LDM's {@code ch_mult}), which configs
 * spell as text, e.g. {@code vq.width_multipliers: "1,2,4"}.
 */
public final class WidthMultipliers {

    private WidthMultipliers() {
    }

    /**
     * "1,2,4" to [1, 2, 4]; every entry a positive integer.
     *
     * @throws ConfigException naming {@code key} when it is missing or an entry is not a positive integer
     */
    public static List<Integer> parse(com.fasterxml.jackson.databind.JsonNode config, String key) {
        String text = ConfigValues.text(config, key);
        List<Integer> out = new ArrayList<>();
        for (String part : text.split(",")) {
            try {
                int w = Integer.parseInt(part.trim());
                if (w < 1) {
                    throw new NumberFormatException();
                }
                out.add(w);
            } catch (NumberFormatException e) {
                throw ConfigException.of(key, key + ": expected comma-separated positive integers like '1,2,4', got '"
                        + text + "'");
            }
        }
        return out;
    }
}
