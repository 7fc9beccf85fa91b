package lab.d2c.workflows.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.workflows.spec.Arm;
import lab.d2c.workflows.spec.BundledSweeps;
import lab.d2c.workflows.spec.SweepSpecParser;
import org.junit.jupiter.api.Test;

class NodePriorityTest {

    private static Map<String, Integer> byKind(String sweep, String armPrefix, boolean depths) {
        Arm arm = SweepSpecParser.parse(BundledSweeps.read(sweep)).expand(SweepSpecParser.DEFAULT_MAX_ARMS).stream()
                .filter(a -> a.name().startsWith(armPrefix)).findFirst().orElseThrow();
        ExperimentGraph graph = ExperimentGraph.plan(arm.config());
        Map<String, Integer> values = depths ? NodePriority.depths(graph) : NodePriority.keys(graph);
        Map<String, Integer> out = new LinkedHashMap<>();
        graph.nodes().forEach(n -> out.put(n.kind(), values.get(n.key())));
        return out;
    }

    @Test
    void depthIsTheLongestChainOfNodesWaitingOnANode() {
        Map<String, Integer> d = byKind("demo", "demo/q-former-4/", true);
        // prepare-dataset -> train-vq -> pretokenize -> train-stage1 -> predict-stage1 -> train-stage2 -> sample -> evaluate
        assertThat(d).containsEntry("evaluate", 0).containsEntry("sample", 1).containsEntry("train-stage2", 2)
                .containsEntry("predict-stage1", 3).containsEntry("train-stage1", 4).containsEntry("pretokenize", 5)
                .containsEntry("train-vq", 6).containsEntry("train-vae", 6).containsEntry("prepare-dataset", 7)
                // train-classifier -> reference-stats -> evaluate; decode-stage1 feeds nothing in this arm
                .containsEntry("train-classifier", 2).containsEntry("reference-stats", 1)
                .containsEntry("decode-stage1", 0);
    }

    @Test
    void theKeysPutWhatUnblocksMostFirst() {
        Map<String, Integer> k = byKind("demo", "demo/q-former-4/", false);
        assertThat(k).containsEntry("train-vq", 1).containsEntry("train-vae", 1).containsEntry("train-stage1", 1)
                .containsEntry("predict-stage1", 2).containsEntry("train-stage2", 3).containsEntry("train-classifier", 3)
                .containsEntry("sample", 4).containsEntry("evaluate", 5);
        // RDPM's graph: its tokenizer leads pretokenize-rdpm -> train-rdpm -> sample-rdpm -> evaluate
        Map<String, Integer> rdpm = byKind("paper", "paper/rdpm/", false);
        assertThat(rdpm).containsEntry("train-rdpm-tokenizer", 1).containsEntry("pretokenize-rdpm", 2)
                .containsEntry("train-rdpm", 3).containsEntry("sample-rdpm", 4).containsEntry("evaluate", 5);
    }
}
