package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * {@code evaluate}: FID, Inception Score, precision and recall of the images of {@code sample}
 * (D2C or MAR), of {@code sample-rdpm} (an RDPM arm's) or of {@code decode-stage1} (the discrete-only
 * baseline), chosen by the arm's generator and {@code eval.images}, against {@code reference-stats},
 * with a bootstrap of FID's sampling error ({@code eval.bootstrap} replicates); rows into the
 * evaluations table.
 */
public final class EvaluateNode extends DeclaredNodeType {

    public static final String KIND = "evaluate";

    public EvaluateNode() {
        // version 2: the bootstrap of FID (eval.bootstrap) and its replicates artifact
        // version 3: the interval is the basic bootstrap interval, not the percentile one
        super(KIND, 3, ReferenceStatsNode.concat(ReferenceStatsNode.EXTRACTOR_PATHS,
                List.of("eval.images", "eval.is_splits", "eval.pr_k", "eval.bootstrap", "eval.batch_size")));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return new ReferenceStatsNode().appliesTo(config)
                && (!imagesKind(config).equals(SampleNode.KIND) || config.has("stage2"))
                && (!imagesKind(config).equals(DecodeStage1Node.KIND) || ArmGenerator.d2c(config));
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return ReferenceStatsNode.usesClassifier(config)
                ? Map.of("images", imagesKind(config), "reference", ReferenceStatsNode.KIND,
                        "classifier", TrainClassifierNode.KIND)
                : Map.of("images", imagesKind(config), "reference", ReferenceStatsNode.KIND);
    }

    /**
     * The node kind whose images are scored: the generator's samples ({@code eval.images: sample}, the default:
     * sample for a D2C arm, sample-rdpm for an RDPM arm) or decode-stage1.
     */
    public static String imagesKind(ObjectNode config) {
        String images = config.at("/eval/images").asText(SampleNode.KIND);
        return images.equals(SampleNode.KIND) && ArmGenerator.rdpm(config) ? SampleRdpmNode.KIND : images;
    }
}
