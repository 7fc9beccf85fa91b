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
 * (version 2, eval.bootstrap: FID's bootstrap, issue 24; version 3, its basic interval); train-stage1 (version 2) and train-stage2 (version 3):
 * the held-out set and val/loss, keys {@code <section>.train.holdout} and {@code eval_every} (issue 24), and so
 * every node downstream of them (decode-stage1, predict-stage1, sample, evaluate: their inputs' keys changed);
 * decode-stage1, sample and evaluate again when the demo went from 100 to 500 samples per arm (a config
 * change, not a code change: their sample counts are part of the key); train-stage1 and train-stage2 again
 * (and so decode-stage1, predict-stage1, sample, evaluate) when {@code <section>.train.until_converged} joined
 * the keys they read (issue 24: train until the convergence criterion holds, the budget a cap; false in the
 * presets, so the nodes compute what they did, but the new key is part of their config slice).
 * Issue 27: every training node (train-vq 3, train-vae 4, train-stage1 3, train-stage2 4, train-classifier 4)
 * also writes its weights as safetensors, so their keys and every key downstream of them (all but
 * prepare-dataset) were re-recorded from this test's output, after the until_converged change.
 * predict-stage1 version 2 (16 sequences per forward, not 64: huge pages made 64 2.3x slower), and so
 * train-stage2, sample and evaluate, re-recorded from this test's output. Every trainer's version again (train-vq 4,
 * train-vae 5, train-classifier 5, train-stage1 4, train-stage2 5; RDPM's trainers too): clipping's global norm is
 * summed in double precision without a temporary (model.train.SumOfSquares), so every key but prepare-dataset's,
 * re-recorded from this test's output. train-stage2 version 6 (the diffusion head on the masked rows alone, each
 * distinct step embedded once), and so sample and evaluate, re-recorded from this test's output.
 */
class PinnedNodeKeysTest {

    private static final Map<String, String> PINNED = new LinkedHashMap<>();

    static {
        PINNED.put("prepare-dataset", "prepare-dataset-767c310ca76b3d0bd2d9");
        PINNED.put("train-vq", "train-vq-d241f05baf99641c0b81");
        PINNED.put("train-vae", "train-vae-daff128b0b134f9b1d90");
        PINNED.put("pretokenize", "pretokenize-2b57f005c3361a43090d");
        PINNED.put("train-stage1", "train-stage1-93dab29f0222b398d1f2");
        PINNED.put("decode-stage1", "decode-stage1-7e529cbf186d04f90546");
        PINNED.put("predict-stage1", "predict-stage1-cd169a7fd74c649cb0f8");
        PINNED.put("train-stage2", "train-stage2-82a33d70eef60a89e667");
        PINNED.put("sample", "sample-d01b0ac103ca7022c6ea");
        PINNED.put("train-classifier", "train-classifier-212d1f3a162b6f288802");
        PINNED.put("reference-stats", "reference-stats-2cd62b91971dea092ac6");
        PINNED.put("evaluate", "evaluate-b8cef0b4dee387ce72c7");
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
