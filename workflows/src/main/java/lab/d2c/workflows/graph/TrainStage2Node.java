package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code train-stage2}: the hybrid MAE with its fusion module and diffusion head (paper sections
 * 4.2, 4.3, 5.1) on the pretokenized continuous latents and VQ ids. Reads the {@code stage2}
 * section except {@code stage2.sample}, with its own seed. Every fusion but {@code none} also
 * takes stage one, whose token embedding starts (and may freeze) its discrete embedding, and
 * trains on stage one's teacher-forced predictions ({@code predict-stage1}, section 4.2) unless
 * {@code stage2.condition} is {@code ground-truth}. Applies to arms whose config has a
 * {@code stage2} section. Version 3 (issue 24): a held-out set ({@code stage2.train.holdout})
 * leaves the batches, {@code val/loss} and the convergence verdict.
 */
public final class TrainStage2Node extends DeclaredNodeType {

    public static final String KIND = "train-stage2";

    private static final List<String> PATHS = ConfigSchema.standard().keysUnder("stage2").stream()
            .filter(p -> !p.startsWith("stage2.sample.")).toList();

    public TrainStage2Node() {
        // 2 (issue 21): trains on stage one's predictions, the attention fusions see positions, the head
        // learns its variance
        // 4: also writes weights.safetensors (issue 27)
        // 5: gradient clipping's global norm is summed in double precision without a temporary square
        // (model.train.SumOfSquares), which changes the clipped steps' last bits
        // 6: the diffusion head runs on the masked rows alone and embeds each distinct step once (the same loss
        // and gradients as MAR's every-row form up to float rounding, so the weights differ in their last bits)
        super(KIND, 6, PATHS);
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return ArmGenerator.d2c(config) && config.has("stage2");
    }

    /** Whether the arm's stage two reads discrete tokens (every fusion but none). */
    static boolean usesStage1(ObjectNode config) {
        return !config.at("/stage2/fusion").asText("none").equals("none");
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        if (!usesStage1(config)) {
            return Map.of("tokens", PretokenizeNode.KIND);
        }
        return PredictStage1Node.trainsOnPredictions(config)
                ? Map.of("tokens", PretokenizeNode.KIND, "stage1", TrainStage1Node.KIND, "predictions", PredictStage1Node.KIND)
                : Map.of("tokens", PretokenizeNode.KIND, "stage1", TrainStage1Node.KIND);
    }
}
