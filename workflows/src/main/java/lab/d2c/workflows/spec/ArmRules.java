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
        return check(arms, parameters, List.of());
    }

    /** As above; a key an arms-list entry sets is reported under {@code arms[i]}. */
    static List<FieldError> check(List<Arm> arms, Map<String, List<JsonNode>> parameters,
            List<SweepSpec.Variant> variants) {
        Map<String, FieldError> errors = new LinkedHashMap<>();
        for (Arm arm : arms) {
            for (String[] problem : problems(arm.config())) {
                String key = problem[0];
                String where = parameters.containsKey(key) ? "parameters." : "config.";
                JsonNode entry = arm.params().get(SweepSpec.ARM_PARAM);
                for (int i = 0; entry != null && i < variants.size(); i++) {
                    if (variants.get(i).name().equals(entry.asText()) && variants.get(i).overrides().containsKey(key)) {
                        where = "arms[" + i + "].";
                    }
                }
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
        stage2(config, out);
        if (config.at("/eval/extractor").asText("").equals("inception") && absent(config.at("/eval/inception_file"))
                && absent(config.at("/eval/inception_key"))) {
            out.add(new String[] {"eval.extractor", "eval.extractor is inception but neither eval.inception_file nor "
                    + "eval.inception_key names the TorchScript file (nothing is downloaded)"});
        }
        JsonNode targets = config.get(ConfigSchema.TARGETS);
        if (targets != null && targets.isTextual()) {
            try {
                lab.d2c.workflows.graph.ExperimentGraph.plan(config);
            } catch (IllegalArgumentException e) {
                out.add(new String[] {ConfigSchema.TARGETS, e.getMessage()});
            }
        }
        return out;
    }


    /** Stage two: heads divide widths, the Q-Former's queries fit the buffer, the schedule is known. */
    private static void stage2(ObjectNode config, List<String[]> out) {
        for (String part : new String[] {"encoder", "decoder"}) {
            JsonNode width = config.at("/stage2/" + part + "_width");
            JsonNode heads = config.at("/stage2/" + part + "_heads");
            if (width.canConvertToInt() && heads.canConvertToInt() && heads.asInt() > 0
                    && width.asInt() % heads.asInt() != 0) {
                out.add(new String[] {"stage2." + part + "_heads", "stage2." + part + "_width " + width.asInt()
                        + " is not a multiple of stage2." + part + "_heads " + heads.asInt()});
            }
        }
        String fusion = config.at("/stage2/fusion").asText("");
        JsonNode queries = config.at("/stage2/queries");
        JsonNode buffer = config.at("/stage2/buffer_size");
        if (fusion.startsWith("q-former") && queries.canConvertToInt() && buffer.canConvertToInt()
                && queries.asInt() > buffer.asInt()) {
            out.add(new String[] {"stage2.queries", "stage2.queries " + queries.asInt() + " exceeds stage2.buffer_size "
                    + buffer.asInt() + " (the Q-Former's outputs take buffer slots, paper section 5.3)"});
        }
    }

    private static boolean absent(JsonNode node) {
        return node.isNull() || node.isMissingNode();
    }

    private static int levels(JsonNode multipliers) {
        return multipliers.isTextual() ? multipliers.asText().split(",").length : 0;
    }
}
