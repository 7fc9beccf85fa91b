package lab.d2c.workflows.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.spec.Arm;
import lab.d2c.workflows.spec.BundledSweeps;
import lab.d2c.workflows.spec.Presets;
import lab.d2c.workflows.spec.SweepSpecParser;
import org.junit.jupiter.api.Test;

/**
 * RDPM's node kinds are planned exactly in arms whose generator is rdpm: then RDPM's graph (tokenizer, its code
 * maps, the predictor, its samples) replaces D2C's, and the dataset, classifier and reference statistics are the
 * same nodes as a D2C arm's; the D2C arms' graphs do not change.
 */
class RdpmNodesTest {

    private static final List<String> D2C_KINDS = List.of(TrainVqNode.KIND, TrainVaeNode.KIND, PretokenizeNode.KIND,
            TrainStage1Node.KIND, DecodeStage1Node.KIND, PredictStage1Node.KIND, TrainStage2Node.KIND, SampleNode.KIND);
    private static final List<String> RDPM_KINDS = List.of(TrainRdpmTokenizerNode.KIND, PretokenizeRdpmNode.KIND,
            TrainRdpmNode.KIND, SampleRdpmNode.KIND);

    private static List<Arm> arms(String sweep) {
        return SweepSpecParser.parse(BundledSweeps.read(sweep)).expand(SweepSpecParser.DEFAULT_MAX_ARMS);
    }

    private static ObjectNode rdpm() {
        ObjectNode config = Presets.load("tiny");
        config.put("generator", "rdpm");
        return config;
    }

    private static String key(ExperimentGraph g, String kind) {
        return g.node(kind).orElseThrow().key();
    }

    @Test
    void anRdpmArmPlansRdpmsGraphInsteadOfD2cs() {
        ExperimentGraph g = ExperimentGraph.plan(rdpm());
        assertThat(g.nodes()).extracting(GraphNode::kind).containsAll(RDPM_KINDS)
                .contains(PrepareDatasetNode.KIND, TrainClassifierNode.KIND, ReferenceStatsNode.KIND, EvaluateNode.KIND)
                .doesNotContainAnyElementsOf(D2C_KINDS);
        assertThat(g.node(PretokenizeRdpmNode.KIND).orElseThrow().inputKeys()).isEqualTo(Map.of(
                "dataset", key(g, PrepareDatasetNode.KIND), "tokenizer", key(g, TrainRdpmTokenizerNode.KIND)));
        assertThat(g.node(TrainRdpmNode.KIND).orElseThrow().inputKeys()).isEqualTo(Map.of(
                "tokens", key(g, PretokenizeRdpmNode.KIND), "tokenizer", key(g, TrainRdpmTokenizerNode.KIND)));
        assertThat(g.node(SampleRdpmNode.KIND).orElseThrow().inputKeys()).isEqualTo(Map.of(
                "rdpm", key(g, TrainRdpmNode.KIND), "tokenizer", key(g, TrainRdpmTokenizerNode.KIND)));
        // eval.images: sample means the arm's generator's samples
        assertThat(g.node(EvaluateNode.KIND).orElseThrow().inputKeys()).containsEntry("images", key(g, SampleRdpmNode.KIND));
        // the predictor's slice is its own section with its training, not the sampler's or the tokenizer's
        assertThat(g.node(TrainRdpmNode.KIND).orElseThrow().configJson()).contains("\"predictor\":{", "\"train\":{")
                .doesNotContain("\"tokenizer\"", "\"sample\"", "\"seed\":0,\"rdpm\"");
    }

    @Test
    void rdpmAndD2cArmsShareTheDatasetClassifierAndReferenceStatistics() {
        ExperimentGraph d2c = ExperimentGraph.plan(Presets.load("tiny"));
        ExperimentGraph rdpm = ExperimentGraph.plan(rdpm());
        for (String shared : List.of(PrepareDatasetNode.KIND, TrainClassifierNode.KIND, ReferenceStatsNode.KIND)) {
            assertThat(key(rdpm, shared)).as(shared).isEqualTo(key(d2c, shared));
        }
        assertThat(key(rdpm, EvaluateNode.KIND)).isNotEqualTo(key(d2c, EvaluateNode.KIND));
        assertThat(d2c.nodes()).extracting(GraphNode::kind).doesNotContainAnyElementsOf(RDPM_KINDS);
    }

    @Test
    void armsDifferingOnlyInSamplingShareThePredictorAndTheTokenizer() {
        ObjectNode other = rdpm();
        other.with("rdpm").with("sample").put("gumbel", true);
        other.put("seed", 1);
        ExperimentGraph a = ExperimentGraph.plan(rdpm());
        ExperimentGraph b = ExperimentGraph.plan(other);
        for (String shared : List.of(TrainRdpmTokenizerNode.KIND, PretokenizeRdpmNode.KIND, TrainRdpmNode.KIND)) {
            assertThat(key(b, shared)).as(shared).isEqualTo(key(a, shared));
        }
        assertThat(key(b, SampleRdpmNode.KIND)).isNotEqualTo(key(a, SampleRdpmNode.KIND));
        // a different noise seed re-quantizes the images, so the predictor learns other code maps
        ObjectNode noise = rdpm();
        noise.with("rdpm").with("pretokenize").put("noise_seed", 7);
        ExperimentGraph c = ExperimentGraph.plan(noise);
        assertThat(key(c, TrainRdpmTokenizerNode.KIND)).isEqualTo(key(a, TrainRdpmTokenizerNode.KIND));
        assertThat(key(c, PretokenizeRdpmNode.KIND)).isNotEqualTo(key(a, PretokenizeRdpmNode.KIND));
        assertThat(key(c, TrainRdpmNode.KIND)).isNotEqualTo(key(a, TrainRdpmNode.KIND));
    }

    @Test
    void targetingTheTokenizerPlansItAndItsDatasetOnly() {
        ObjectNode config = rdpm();
        config.put("targets", TrainRdpmTokenizerNode.KIND);
        ExperimentGraph graph = ExperimentGraph.plan(config);
        assertThat(graph.nodes()).extracting(GraphNode::kind)
                .containsExactly(PrepareDatasetNode.KIND, TrainRdpmTokenizerNode.KIND);
        GraphNode tokenizer = graph.node(TrainRdpmTokenizerNode.KIND).orElseThrow();
        assertThat(tokenizer.inputKeys()).containsExactly(Map.entry("dataset", key(graph, PrepareDatasetNode.KIND)));
        // the slice is the whole rdpm.tokenizer subtree, training included, and nothing else
        assertThat(tokenizer.configJson()).contains("\"rdpm\":{\"tokenizer\":{", "\"train\":{", "\"gamma_weighting\":true")
                .doesNotContain("\"vq\"", "\"data\"", "\"predictor\"");
    }

    @Test
    void aD2cArmCannotTargetRdpmsNodes() {
        ObjectNode config = Presets.load("tiny");
        config.put("targets", TrainRdpmTokenizerNode.KIND);
        assertThatThrownBy(() -> ExperimentGraph.plan(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'train-rdpm-tokenizer' is not a node kind of this config");
    }

    @Test
    void theD2cArmsGraphsAreUnchanged() {
        List<NodeType> withoutRdpm = NodeTypes.ALL.stream().filter(t -> !RDPM_KINDS.contains(t.kind())).toList();
        for (Arm arm : arms("demo")) {
            if (ArmGenerator.d2c(arm.config())) {
                assertThat(ExperimentGraph.plan(arm.config())).as(arm.name())
                        .isEqualTo(ExperimentGraph.plan(arm.config(), withoutRdpm));
            }
        }
    }

    @Test
    void theBundledTokenizerSweepTrainsFourTokenizersOnOneDataset() {
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
        assertThat(graphs.stream().map(g -> key(g, PrepareDatasetNode.KIND)).distinct()).hasSize(1);
        assertThat(graphs.stream().map(g -> key(g, TrainRdpmTokenizerNode.KIND)).distinct()).hasSize(4);
    }
}
