package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code pretokenize}: the training images encoded by both tokenizers in both horizontal flips
 * (paper section 5.1; MAR caches both). Its key follows from the three inputs' keys and the
 * {@code pretokenize} section.
 */
public final class PretokenizeNode extends DeclaredNodeType {

    public static final String KIND = "pretokenize";

    public PretokenizeNode() {
        super(KIND, 1, List.of("pretokenize"));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return ArmGenerator.d2c(config);
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return Map.of("dataset", PrepareDatasetNode.KIND, "vq", TrainVqNode.KIND, "vae", TrainVaeNode.KIND);
    }
}
