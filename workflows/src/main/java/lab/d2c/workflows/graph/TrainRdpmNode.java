package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code train-rdpm}: RDPM's recurrent token predictor (arXiv:2412.18390 section 3.2, Eq. 6-7) on the code maps of
 * {@code pretokenize-rdpm}, with the tokenizer's codebook for the accumulated latent z'_{t-1}. Reads the
 * {@code rdpm.predictor} section (its training under {@code rdpm.predictor.train}) with its own seed, not the run
 * seed, so arms that differ only in sampling share one predictor. Applies to arms whose generator is rdpm.
 * Version 2 (issue 24): a held-out set ({@code rdpm.predictor.train.holdout}) leaves the batches, {@code val/loss}
 * and the convergence verdict.
 */
public final class TrainRdpmNode extends DeclaredNodeType {

    public static final String KIND = "train-rdpm";

    public TrainRdpmNode() {
        // 3: also writes weights.safetensors (issue 27); 4: also writes val/kl_cond_uncond (issue 24)
        // 5: gradient clipping's global norm is summed in double precision without a temporary square
        // (model.train.SumOfSquares), which changes the clipped steps' last bits
        super(KIND, 5, List.of(ConfigSchema.RDPM_PREDICTOR));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return ArmGenerator.rdpm(config);
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return Map.of("tokens", PretokenizeRdpmNode.KIND, "tokenizer", TrainRdpmTokenizerNode.KIND);
    }
}
