package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import lab.d2c.config.stage2.Stage2Condition;

/**
 * {@code predict-stage1}: stage one's teacher-forced prediction of every token of every training
 * image (both flips), given the class and the true tokens before it: the discrete condition stage
 * two trains on (D2C section 4.2). Reads only {@code stage2.condition_temperature}, so every arm
 * that shares stage one and that temperature shares it, whatever its fusion or seeds. Applies to
 * arms whose stage two reads discrete tokens with {@code stage2.condition: stage1-predictions}.
 * Version 2: 16 sequences per forward instead of 64 (the executor's BATCH says why), which can move
 * near-tie predictions.
 */
public final class PredictStage1Node extends DeclaredNodeType {

    public static final String KIND = "predict-stage1";

    public PredictStage1Node() {
        super(KIND, 2, List.of("stage2.condition_temperature"));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return ArmGenerator.d2c(config) && config.has("stage2") && TrainStage2Node.usesStage1(config) && trainsOnPredictions(config);
    }

    /** Whether stage two's discrete condition is stage one's predictions (the default) rather than the true codes. */
    static boolean trainsOnPredictions(ObjectNode config) {
        return Stage2Condition.onPredictions(config.at("/stage2/condition").asText(Stage2Condition.STAGE1_PREDICTIONS.key()));
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return Map.of("tokens", PretokenizeNode.KIND, "stage1", TrainStage1Node.KIND);
    }
}
