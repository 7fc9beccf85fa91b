package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code train-stage1}: the discrete AR model of paper section 4.1 on the pretokenized VQ ids. It
 * reads the {@code stage1} section except {@code stage1.sample} and its own seed (not the run
 * seed), so arms that differ only in sampling or in what comes after share one stage-one model,
 * as the paper shares one pretrained LlamaGen-B. Version 2 (issue 24): a held-out set
 * ({@code stage1.train.holdout}) leaves the batches, {@code val/loss} and the convergence verdict.
 */
public final class TrainStage1Node extends DeclaredNodeType {

    public static final String KIND = "train-stage1";

    private static final List<String> PATHS = ConfigSchema.standard().keysUnder("stage1").stream()
            .filter(p -> !p.startsWith("stage1.sample.")).toList();

    public TrainStage1Node() {
        // 3: also writes weights.safetensors (issue 27)
        // 4: gradient clipping's global norm is summed in double precision without a temporary square
        // (model.train.SumOfSquares), which changes the clipped steps' last bits
        super(KIND, 4, PATHS);
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return ArmGenerator.d2c(config);
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return Map.of("tokens", PretokenizeNode.KIND);
    }
}
