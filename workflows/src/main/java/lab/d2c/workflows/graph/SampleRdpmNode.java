package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code sample-rdpm}: RDPM's generation (arXiv:2412.18390 section 3.2, Algorithm 2, Eq. 8): T steps of recurrent
 * token prediction from pure noise with {@code rdpm.sample}'s guidance and Gumbel settings, then the tokenizer's
 * decoder; images to S3 in the form {@code sample} writes them, so {@code evaluate} scores them the same way.
 * Reads the run seed. Applies to arms whose generator is rdpm.
 */
public final class SampleRdpmNode extends DeclaredNodeType {

    public static final String KIND = "sample-rdpm";

    public SampleRdpmNode() {
        super(KIND, 1, List.of(ConfigSchema.RUN_SEED, ConfigSchema.RDPM_SAMPLE));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return ArmGenerator.rdpm(config);
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return Map.of("rdpm", TrainRdpmNode.KIND, "tokenizer", TrainRdpmTokenizerNode.KIND);
    }
}
