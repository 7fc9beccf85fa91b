package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules that tie config keys together, checked on every arm at submission so a sweep never
 * launches an arm whose node would refuse its config hours later. Each error names the key
 * (under {@code parameters} when the sweep varies it, else under {@code config}) and the arm.
 */
final class ArmRules {

    private ArmRules() {
    }

    /** The errors of all arms, one per (key, reason); empty when every arm is consistent. */
    static List<FieldError> check(List<Arm> arms, Map<String, List<JsonNode>> parameters) {
        Map<String, FieldError> errors = new LinkedHashMap<>();
        for (Arm arm : arms) {
            for (String[] problem : problems(arm.config())) {
                String key = problem[0];
                String where = parameters.containsKey(key) ? "parameters." : "config.";
                errors.putIfAbsent(key + problem[1], new FieldError(where + key, problem[1] + " (arm " + arm.name() + ")"));
            }
        }
        return new ArrayList<>(errors.values());
    }

    private static List<String[]> problems(ObjectNode config) {
        List<String[]> out = new ArrayList<>();
        JsonNode width = config.at("/stage1/width");
        JsonNode heads = config.at("/stage1/heads");
        if (width.canConvertToInt() && heads.canConvertToInt() && heads.asInt() > 0) {
            int w = width.asInt();
            int h = heads.asInt();
            if (w % h != 0 || (w / h) % 4 != 0) {
                out.add(new String[] {"stage1.heads", "stage1.width " + w + " / stage1.heads " + h
                        + " must be a whole multiple of 4 (2D RoPE rotates pairs by row and by column)"});
            }
        }
        int vqLevels = levels(config.at("/vq/width_multipliers"));
        int vaeLevels = levels(config.at("/vae/width_multipliers"));
        if (vqLevels > 0 && vaeLevels > 0 && vqLevels != vaeLevels) {
            out.add(new String[] {"vae.width_multipliers", "the VQ and KL-VAE tokenizers must have the same stride "
                    + "(paper section 4.2: the token grids align); vq.width_multipliers has " + vqLevels
                    + " levels, vae.width_multipliers " + vaeLevels});
        }
        JsonNode size = config.at("/data/image_size");
        if (vqLevels > 0 && size.canConvertToInt() && size.asInt() % (1 << (vqLevels - 1)) != 0) {
            out.add(new String[] {"data.image_size", "data.image_size " + size.asInt()
                    + " is not a multiple of the tokenizer stride " + (1 << (vqLevels - 1))});
        }
        return out;
    }

    private static int levels(JsonNode multipliers) {
        return multipliers.isTextual() ? multipliers.asText().split(",").length : 0;
    }
}
