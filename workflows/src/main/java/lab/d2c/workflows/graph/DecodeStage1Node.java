package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code decode-stage1}: samples stage-one token sequences and decodes them with the VQ decoder,
 * the discrete-only baseline of paper Table 1 (docs/design.md, "The experiment graph"). Reads the run
 * seed (the sampling seed) and {@code stage1.sample}.
 */
public final class DecodeStage1Node extends DeclaredNodeType {

    public static final String KIND = "decode-stage1";

    public DecodeStage1Node() {
        super(KIND, 1, List.of(ConfigSchema.RUN_SEED, "stage1.sample"));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return ArmGenerator.d2c(config);
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return Map.of("stage1", TrainStage1Node.KIND, "vq", TrainVqNode.KIND);
    }
}
