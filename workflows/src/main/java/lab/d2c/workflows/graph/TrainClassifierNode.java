package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code train-classifier}: the dataset classifier whose penultimate features define the metrics
 * of a dataset without a standard Inception network (docs/design.md, "Evaluation"). Reads the
 * {@code classifier} section and the prepared dataset, so every arm on the same data shares it.
 */
public final class TrainClassifierNode extends DeclaredNodeType {

    public static final String KIND = "train-classifier";

    public TrainClassifierNode() {
        // 3: test accuracy in batches of 64; 2: conv-pool trunk with a flattened head (was the autoencoders' encoder, average-pooled)
        // 4: also writes weights.safetensors (issue 27)
        // 5: gradient clipping's global norm is summed in double precision without a temporary square
        // (model.train.SumOfSquares), which changes the clipped steps' last bits
        super(KIND, 5, List.of("classifier"));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return config.has("classifier");
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return Map.of("dataset", PrepareDatasetNode.KIND);
    }
}
