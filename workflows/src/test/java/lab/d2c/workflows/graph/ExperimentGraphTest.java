package lab.d2c.workflows.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ExperimentGraphTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode config(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static final String BASE = "{\"seed\":0,\"data\":{\"dataset\":\"shapes\",\"image_size\":32},"
            + "\"tok\":{\"codebook\":64},\"train\":{\"lr\":0.001}}";

    private static Map<String, String> keys(ObjectNode cfg) {
        return ExperimentGraph.plan(cfg, TestNodeTypes.chain()).nodes().stream()
                .collect(Collectors.toMap(GraphNode::kind, GraphNode::key));
    }

    @Test
    void inputsComeFirstAndKeysCarryInputs() throws Exception {
        ExperimentGraph g = ExperimentGraph.plan(config(BASE), TestNodeTypes.chain());
        assertThat(g.nodes()).extracting(GraphNode::kind).containsExactly("data", "tok", "train");
        GraphNode train = g.node("train").orElseThrow();
        assertThat(train.inputKeys()).containsEntry("data", g.node("data").orElseThrow().key())
                .containsEntry("tokens", g.node("tok").orElseThrow().key());
        assertThat(train.key()).startsWith("train-").hasSize("train-".length() + 20);
    }

    @Test
    void sameSpecSameKeysWhateverTheKeyOrderOrNumberForm() throws Exception {
        Map<String, String> a = keys(config(BASE));
        Map<String, String> b = keys(config("{\"train\":{\"lr\":1e-3},\"tok\":{\"codebook\":64.0},"
                + "\"data\":{\"image_size\":32,\"dataset\":\"shapes\"},\"seed\":0}"));
        assertThat(b).isEqualTo(a);
    }

    @Test
    void aChangedFieldChangesExactlyTheNodesThatReadItAndTheirDescendants() throws Exception {
        Map<String, String> base = keys(config(BASE));

        Map<String, String> seed = keys(config(BASE.replace("\"seed\":0", "\"seed\":1")));
        assertThat(seed.get("data")).isEqualTo(base.get("data"));
        assertThat(seed.get("tok")).isEqualTo(base.get("tok"));
        assertThat(seed.get("train")).isNotEqualTo(base.get("train"));

        Map<String, String> tok = keys(config(BASE.replace("\"codebook\":64", "\"codebook\":128")));
        assertThat(tok.get("data")).isEqualTo(base.get("data"));
        assertThat(tok.get("tok")).isNotEqualTo(base.get("tok"));
        assertThat(tok.get("train")).as("train consumes tok").isNotEqualTo(base.get("train"));

        Map<String, String> data = keys(config(BASE.replace("\"image_size\":32", "\"image_size\":64")));
        assertThat(data.values()).doesNotContainAnyElementsOf(base.values());
    }

    @Test
    void codeVersionIsPartOfTheKey() {
        ObjectNode slice = JSON.createObjectNode().put("a", 1);
        assertThat(NodeKeys.key("k", 1, slice, Map.of())).isNotEqualTo(NodeKeys.key("k", 2, slice, Map.of()));
    }

    @Test
    void registeredTypesPlanTheDatasetNodeFromTheDataSectionOnly() throws Exception {
        ExperimentGraph g = ExperimentGraph.plan(config(BASE));
        GraphNode data = g.node(PrepareDatasetNode.KIND).orElseThrow();
        assertThat(JSON.readTree(data.configJson()).fieldNames()).toIterable().containsExactly("data");
    }

    @Test
    void stageTwoNodesApplyWithAStage2SectionAndReadStageOneUnlessFusionIsNone() throws Exception {
        ExperimentGraph without = ExperimentGraph.plan(config(BASE));
        assertThat(without.node(TrainStage2Node.KIND)).isEmpty();
        ExperimentGraph qformer = ExperimentGraph.plan(config(BASE.replace("}}", "},\"stage2\":{\"fusion\":\"q-former\"}}")));
        assertThat(qformer.node(TrainStage2Node.KIND).orElseThrow().inputKeys())
                .containsOnlyKeys("tokens", "stage1", "predictions");
        assertThat(qformer.node(SampleNode.KIND).orElseThrow().inputKeys()).containsOnlyKeys("stage2", "stage1", "vae");
        ExperimentGraph mar = ExperimentGraph.plan(config(BASE.replace("}}", "},\"stage2\":{\"fusion\":\"none\"}}")));
        assertThat(mar.node(TrainStage2Node.KIND).orElseThrow().inputKeys()).containsOnlyKeys("tokens");
        assertThat(mar.node(SampleNode.KIND).orElseThrow().inputKeys()).containsOnlyKeys("stage2", "vae");
        // stage one still trains for the arm's discrete-only baseline, but not as an input of stage two
        assertThat(mar.node(TrainStage1Node.KIND)).isPresent();
    }

    /**
     * Section 4.2: stage two trains on stage one's predictions, a node of their own that every arm sharing
     * stage one shares (a cache hit for the second arm), whatever its fusion or run seed; ground-truth
     * arms (DisCon's setting) and MAR arms have none.
     */
    @Test
    void stageOnesPredictionsAreOneNodeSharedByTheArmsThatShareStageOne() throws Exception {
        ObjectNode crossAttention = config(BASE.replace("}}", "},\"stage1\":{\"width\":8},"
                + "\"stage2\":{\"fusion\":\"cross-attention\",\"condition\":\"stage1-predictions\","
                + "\"condition_temperature\":1.0}}"));
        ObjectNode qformerOtherSeed = crossAttention.deepCopy();
        qformerOtherSeed.put("seed", 3);
        ((ObjectNode) qformerOtherSeed.get("stage2")).put("fusion", "q-former");
        GraphNode a = ExperimentGraph.plan(crossAttention).node(PredictStage1Node.KIND).orElseThrow();
        GraphNode b = ExperimentGraph.plan(qformerOtherSeed).node(PredictStage1Node.KIND).orElseThrow();
        assertThat(b.key()).isEqualTo(a.key());
        assertThat(a.inputKeys()).containsOnlyKeys("tokens", "stage1");
        assertThat(ExperimentGraph.plan(crossAttention).node(TrainStage2Node.KIND).orElseThrow().inputKeys()
                .get("predictions")).isEqualTo(a.key());

        ObjectNode otherStageOne = crossAttention.deepCopy();
        ((ObjectNode) otherStageOne.get("stage1")).put("width", 16);
        assertThat(ExperimentGraph.plan(otherStageOne).node(PredictStage1Node.KIND).orElseThrow().key())
                .isNotEqualTo(a.key());
        ObjectNode argmax = crossAttention.deepCopy();
        ((ObjectNode) argmax.get("stage2")).put("condition_temperature", 0.0);
        assertThat(ExperimentGraph.plan(argmax).node(PredictStage1Node.KIND).orElseThrow().key()).isNotEqualTo(a.key());

        ObjectNode groundTruth = crossAttention.deepCopy();
        ((ObjectNode) groundTruth.get("stage2")).put("condition", "ground-truth");
        assertThat(ExperimentGraph.plan(groundTruth).node(PredictStage1Node.KIND)).isEmpty();
        assertThat(ExperimentGraph.plan(groundTruth).node(TrainStage2Node.KIND).orElseThrow().inputKeys())
                .containsOnlyKeys("tokens", "stage1");
        ObjectNode mar = crossAttention.deepCopy();
        ((ObjectNode) mar.get("stage2")).put("fusion", "none");
        assertThat(ExperimentGraph.plan(mar).node(PredictStage1Node.KIND)).isEmpty();
    }

    @Test
    void targetsLimitTheGraphToThoseKindsAndTheirInputs() throws Exception {
        String withStage2 = BASE.replace("}}", "},\"stage2\":{\"fusion\":\"none\"}}");
        ExperimentGraph g = ExperimentGraph.plan(config(withStage2.replace("{\"seed\":0,",
                "{\"seed\":0,\"targets\":\"decode-stage1\",")));
        assertThat(g.nodes()).extracting(GraphNode::kind).containsExactlyInAnyOrder(PrepareDatasetNode.KIND,
                TrainVqNode.KIND, TrainVaeNode.KIND, PretokenizeNode.KIND, TrainStage1Node.KIND, DecodeStage1Node.KIND);
        ExperimentGraph sample = ExperimentGraph.plan(config(withStage2.replace("{\"seed\":0,",
                "{\"seed\":0,\"targets\":\"sample\",")));
        assertThat(sample.node(TrainStage1Node.KIND)).as("MAR's sampling needs no stage one").isEmpty();
        assertThatThrownBy(() -> ExperimentGraph.plan(config(BASE.replace("{\"seed\":0,",
                "{\"seed\":0,\"targets\":\"sample\","))))
                .hasMessageStartingWith("targets: 'sample' is not a node kind of this config");
    }

    @Test
    void missingInputKindIsAClearError() throws Exception {
        List<NodeType> broken = List.of(TestNodeTypes.type("train", List.of("train"), Map.of("tokens", "tok")));
        assertThatThrownBy(() -> ExperimentGraph.plan(config(BASE), broken)).hasMessageContaining("needs tok");
    }

    @Test
    void cycleIsAClearError() throws Exception {
        List<NodeType> cyclic = List.of(TestNodeTypes.type("a", List.of(), Map.of("x", "b")),
                TestNodeTypes.type("b", List.of(), Map.of("x", "a")));
        assertThatThrownBy(() -> ExperimentGraph.plan(config(BASE), cyclic)).hasMessageContaining("cycle");
    }
}
