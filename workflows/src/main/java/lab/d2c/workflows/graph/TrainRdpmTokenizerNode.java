package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code train-rdpm-tokenizer}: RDPM's diffusion-based tokenizer (arXiv:2412.18390 section 3.1,
 * Algorithm 1). Reads only the {@code rdpm.tokenizer} section (its training under
 * {@code rdpm.tokenizer.train}) and the prepared dataset, as {@code train-vq} reads {@code vq}.
 *
 * <p>Every preset defines the section, so applying whenever it is present would add this node to every
 * arm, the demo's included. It applies only when the arm's {@code targets} name an RDPM node kind (one
 * whose name contains {@code rdpm}: this one, and the predictor's nodes that will consume it).
 */
public final class TrainRdpmTokenizerNode extends DeclaredNodeType {

    public static final String KIND = "train-rdpm-tokenizer";

    public TrainRdpmTokenizerNode() {
        super(KIND, 1, List.of(ConfigSchema.RDPM_TOKENIZER));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return rdpmTargeted(config);
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return Map.of("dataset", PrepareDatasetNode.KIND);
    }

    /** Whether the arm's {@code targets} name an RDPM node kind: RDPM's nodes are planned only then. */
    public static boolean rdpmTargeted(ObjectNode config) {
        JsonNode t = config.get(ConfigSchema.TARGETS);
        if (t == null || !t.isTextual()) {
            return false;
        }
        return Arrays.stream(t.asText().split(",")).map(String::trim).anyMatch(k -> k.contains("rdpm"));
    }
}
