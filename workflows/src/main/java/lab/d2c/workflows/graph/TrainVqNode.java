package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** {@code train-vq}: the VQ tokenizer (paper section 5.1): reads only the vq section and the prepared dataset, so arms that differ in anything downstream (run seed, generator, sampling) share one tokenizer. */
public final class TrainVqNode extends DeclaredNodeType {

    public static final String KIND = "train-vq";

    public TrainVqNode() {
        // 2: test figures evaluated in batches of 64 (were 256)
        // 3: also writes weights.safetensors (issue 27)
        // 4: gradient clipping's global norm is summed in double precision without a temporary square
        // (model.train.SumOfSquares), which changes the clipped steps' last bits
        super(KIND, 4, List.of("vq"));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return ArmGenerator.d2c(config);
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return Map.of("dataset", PrepareDatasetNode.KIND);
    }
}
