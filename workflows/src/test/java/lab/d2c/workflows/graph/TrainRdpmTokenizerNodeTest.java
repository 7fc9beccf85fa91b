package lab.d2c.workflows.graph;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import lab.d2c.workflows.spec.Arm;
import lab.d2c.workflows.spec.BundledSweeps;
import lab.d2c.workflows.spec.Presets;
import lab.d2c.workflows.spec.SweepSpecParser;
import org.junit.jupiter.api.Test;

/**
 * train-rdpm-tokenizer is planned only when an arm's targets ask for an RDPM node: then with its dataset
 * and nothing else; the demo's arms, whose presets define rdpm.tokenizer too, do not gain it.
 */
class TrainRdpmTokenizerNodeTest {

    private static List<Arm> arms(String sweep) {
        return SweepSpecParser.parse(BundledSweeps.read(sweep)).expand(SweepSpecParser.DEFAULT_MAX_ARMS);
    }

    @Test
    void targetingTheTokenizerPlansItAndItsDatasetOnly() {
        ObjectNode config = Presets.load("tiny");
        config.put("targets", TrainRdpmTokenizerNode.KIND);
        ExperimentGraph graph = ExperimentGraph.plan(config);
        assertThat(graph.nodes()).extracting(GraphNode::kind)
                .containsExactly(PrepareDatasetNode.KIND, TrainRdpmTokenizerNode.KIND);
        GraphNode tokenizer = graph.node(TrainRdpmTokenizerNode.KIND).orElseThrow();
        assertThat(tokenizer.inputKeys()).containsExactly(
                java.util.Map.entry("dataset", graph.node(PrepareDatasetNode.KIND).orElseThrow().key()));
        // the slice is the whole rdpm.tokenizer subtree, training included, and nothing else
        assertThat(tokenizer.configJson()).contains("\"rdpm\":{\"tokenizer\":{", "\"train\":{", "\"gamma_weighting\":true")
                .doesNotContain("\"vq\"", "\"data\"", "\"predictor\"");
    }

    @Test
    void anArmWithoutRdpmTargetsDoesNotPlanIt() {
        ObjectNode config = Presets.load("tiny");
        assertThat(ExperimentGraph.plan(config).node(TrainRdpmTokenizerNode.KIND)).isEmpty();
        config.put("targets", "decode-stage1");
        assertThat(ExperimentGraph.plan(config).node(TrainRdpmTokenizerNode.KIND)).isEmpty();
    }

    @Test
    void theDemoArmsGraphsAreUnchanged() {
        List<NodeType> withoutRdpm = NodeTypes.ALL.stream()
                .filter(t -> !t.kind().equals(TrainRdpmTokenizerNode.KIND)).toList();
        for (Arm arm : arms("demo")) {
            assertThat(ExperimentGraph.plan(arm.config())).as(arm.name())
                    .isEqualTo(ExperimentGraph.plan(arm.config(), withoutRdpm));
        }
    }

    @Test
    void theBundledSweepTrainsFourTokenizersOnOneDataset() {
        List<Arm> arms = arms("rdpm-tokenizer");
        assertThat(arms).extracting(Arm::name).containsExactly("rdpm-tokenizer/t2-gamma/seed=0",
                "rdpm-tokenizer/t5-gamma/seed=0", "rdpm-tokenizer/t10-gamma/seed=0", "rdpm-tokenizer/t10-no-gamma/seed=0");
        assertThat(arms).extracting(a -> a.config().at("/rdpm/tokenizer/steps").asInt()).containsExactly(2, 5, 10, 10);
        assertThat(arms).extracting(a -> a.config().at("/rdpm/tokenizer/gamma_weighting").asBoolean())
                .containsExactly(true, true, true, false);
        List<ExperimentGraph> graphs = arms.stream().map(a -> ExperimentGraph.plan(a.config())).toList();
        for (ExperimentGraph g : graphs) {
            assertThat(g.nodes()).extracting(GraphNode::kind)
                    .containsExactly(PrepareDatasetNode.KIND, TrainRdpmTokenizerNode.KIND);
        }
        assertThat(graphs.stream().map(g -> g.node(PrepareDatasetNode.KIND).orElseThrow().key()).distinct()).hasSize(1);
        assertThat(graphs.stream().map(g -> g.node(TrainRdpmTokenizerNode.KIND).orElseThrow().key()).distinct()).hasSize(4);
    }
}
