package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code train-rdpm-tokenizer}: RDPM's diffusion-based tokenizer (arXiv:2412.18390 section 3.1,
 * Algorithm 1). Reads only the {@code rdpm.tokenizer} section (its training under
 * {@code rdpm.tokenizer.train}) and the prepared dataset, as {@code train-vq} reads {@code vq}.
 * Applies to arms whose generator is rdpm ({@link ArmGenerator}).
 */
public final class TrainRdpmTokenizerNode extends DeclaredNodeType {

    public static final String KIND = "train-rdpm-tokenizer";

    public TrainRdpmTokenizerNode() {
        // 2: also writes weights.safetensors (issue 27)
        // 3: gradient clipping's global norm is summed in double precision without a temporary square
        // (model.train.SumOfSquares), which changes the clipped steps' last bits
        super(KIND, 3, List.of(ConfigSchema.RDPM_TOKENIZER));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return ArmGenerator.rdpm(config);
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return Map.of("dataset", PrepareDatasetNode.KIND);
    }
}
