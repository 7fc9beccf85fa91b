package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code reference-stats}: features of a dataset split through the chosen extractor, their
 * Gaussian fit and the features themselves (for precision/recall), computed once per (dataset,
 * split, extractor) and shared by every arm that scores against them.
 */
public final class ReferenceStatsNode extends DeclaredNodeType {

    public static final String KIND = "reference-stats";

    /** The eval keys that choose the extractor: part of every scoring node's key. */
    static final List<String> EXTRACTOR_PATHS = List.of("eval.extractor", "eval.inception_file", "eval.inception_key",
            "eval.inception_input_range");

    public ReferenceStatsNode() {
        super(KIND, 1, concat(EXTRACTOR_PATHS, List.of("eval.reference_split", "eval.reference_images", "eval.batch_size")));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return config.has("eval") && (!usesClassifier(config) || config.has("classifier"));
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return usesClassifier(config)
                ? Map.of("dataset", PrepareDatasetNode.KIND, "classifier", TrainClassifierNode.KIND)
                : Map.of("dataset", PrepareDatasetNode.KIND);
    }

    /** Whether the arm's metrics use the dataset classifier (not a TorchScript Inception). */
    public static boolean usesClassifier(ObjectNode config) {
        return config.at("/eval/extractor").asText("classifier").equals("classifier");
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }
}
