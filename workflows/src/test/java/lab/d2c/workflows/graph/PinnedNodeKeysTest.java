package lab.d2c.workflows.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import lab.d2c.workflows.spec.Arm;
import lab.d2c.workflows.spec.BundledSweeps;
import lab.d2c.workflows.spec.SweepSpecParser;
import org.junit.jupiter.api.Test;

/**
 * Node keys are cache keys: a refactor that changes one silently throws away every cached
 * tokenizer and model. These were recorded at commit b423542 (before issue 22's restructuring)
 * on the bundled demo sweep's q-former-4 arm, whose graph has all twelve node kinds. A key may
 * change only together with its kind's code version, i.e. a deliberate change to what the node
 * computes; then record the new key here and say why in the commit. Changed since: evaluate
 * (version 2, eval.bootstrap: FID's bootstrap, issue 24; version 3, its basic interval).
 */
class PinnedNodeKeysTest {

    private static final Map<String, String> PINNED = new LinkedHashMap<>();

    static {
        PINNED.put("prepare-dataset", "prepare-dataset-767c310ca76b3d0bd2d9");
        PINNED.put("train-vq", "train-vq-e053a1f5bc1e6371b145");
        PINNED.put("train-vae", "train-vae-e7221f6d6552fe7476e3");
        PINNED.put("pretokenize", "pretokenize-dae112c95028b243f3e1");
        PINNED.put("train-stage1", "train-stage1-923fe85791e7bffa58ae");
        PINNED.put("decode-stage1", "decode-stage1-ec60728dce1dadd93509");
        PINNED.put("predict-stage1", "predict-stage1-8e29e7a7dad17b9d57ef");
        PINNED.put("train-stage2", "train-stage2-10dba586c5bc5b65d4cb");
        PINNED.put("sample", "sample-1aad7de3c2fbc309890a");
        PINNED.put("train-classifier", "train-classifier-8e1aeb443c9153ad1066");
        PINNED.put("reference-stats", "reference-stats-f27f7d6e5cda21750368");
        PINNED.put("evaluate", "evaluate-b04e9fd87364bf8cac77");
    }

    @Test
    void theDemoSweepsQFormerArmKeepsItsNodeKeys() {
        Arm arm = SweepSpecParser.parse(BundledSweeps.read("demo")).expand(SweepSpecParser.DEFAULT_MAX_ARMS).stream()
                .filter(a -> a.name().startsWith("demo/q-former-4/")).findFirst().orElseThrow();
        Map<String, String> keys = new LinkedHashMap<>();
        for (GraphNode node : ExperimentGraph.plan(arm.config()).nodes()) {
            keys.put(node.kind(), node.key());
        }
        assertThat(keys).containsExactlyInAnyOrderEntriesOf(PINNED);
    }
}
