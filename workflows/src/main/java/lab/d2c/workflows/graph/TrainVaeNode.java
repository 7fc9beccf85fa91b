package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** {@code train-vae}: the KL-VAE tokenizer (paper section 5.1): reads only the vae section and the prepared dataset, so arms that differ downstream share one tokenizer. */
public final class TrainVaeNode extends DeclaredNodeType {

    public static final String KIND = "train-vae";

    public TrainVaeNode() {
        // 2: test figures and the latent scale in batches of 64 (were 256; the scale's draws changed)
        // 3: vae.loss_reduction, default ldm: the KL weighed as in LDM (was effectively pixels x kl_weight)
        // 4: also writes weights.safetensors (issue 27)
        // 5: gradient clipping's global norm is summed in double precision without a temporary square
        // (model.train.SumOfSquares), which changes the clipped steps' last bits
        super(KIND, 5, List.of("vae"));
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
