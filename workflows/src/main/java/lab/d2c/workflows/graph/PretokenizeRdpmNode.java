package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code pretokenize-rdpm}: every training image and its mirror quantized by the trained RDPM tokenizer into its
 * T code maps (arXiv:2412.18390 Algorithm 1), with noise drawn from {@code rdpm.pretokenize.noise_seed} per
 * (image, flip), so {@code train-rdpm} can regenerate the eps_t its codes were drawn with. Batching and shards as
 * {@code pretokenize}'s section says. Applies to arms whose generator is rdpm.
 */
public final class PretokenizeRdpmNode extends DeclaredNodeType {

    public static final String KIND = "pretokenize-rdpm";

    public PretokenizeRdpmNode() {
        super(KIND, 1, List.of("pretokenize", "rdpm.pretokenize"));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return ArmGenerator.rdpm(config);
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return Map.of("dataset", PrepareDatasetNode.KIND, "tokenizer", TrainRdpmTokenizerNode.KIND);
    }
}
