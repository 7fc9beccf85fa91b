package lab.d2c.workflows.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PresetsAndBundledSweepsTest {

    static List<String> presets() {
        return Presets.names();
    }

    static List<String> sweeps() {
        return BundledSweeps.names();
    }

    /** Each arm's planned graph by its arm name, in sweep order. */
    private static java.util.Map<String, lab.d2c.workflows.graph.ExperimentGraph> graphsByArm(List<Arm> arms) {
        java.util.Map<String, lab.d2c.workflows.graph.ExperimentGraph> byName = new java.util.LinkedHashMap<>();
        arms.forEach(a -> byName.put(a.params().get("arm").asText(), lab.d2c.workflows.graph.ExperimentGraph.plan(a.config())));
        return byName;
    }

    /** The sampling arms train no predictor of their own: theirs is the reference arm's node. */
    private static void assertSamePredictor(java.util.Map<String, lab.d2c.workflows.graph.ExperimentGraph> byName,
            String reference, List<String> samplingArms) {
        for (String arm : samplingArms) {
            assertThat(nodeKey(byName, arm, "train-rdpm")).as(arm).isEqualTo(nodeKey(byName, reference, "train-rdpm"));
        }
    }

    /** The key of the node of {@code kind} in {@code arm}'s graph. */
    private static String nodeKey(java.util.Map<String, lab.d2c.workflows.graph.ExperimentGraph> byName, String arm,
            String kind) {
        return byName.get(arm).node(kind).orElseThrow().key();
    }

    /** How many distinct RDPM tokenizers, predictors and sampling nodes the arms plan. */
    private static void assertRdpmNodeCounts(java.util.Map<String, lab.d2c.workflows.graph.ExperimentGraph> byName,
            int tokenizers, int predictors, int samplers) {
        java.util.function.Function<String, Long> distinct = kind -> byName.values().stream()
                .map(g -> g.node(kind).orElseThrow().key()).distinct().count();
        assertThat(distinct.apply("train-rdpm-tokenizer")).as("tokenizers").isEqualTo(tokenizers);
        assertThat(distinct.apply("train-rdpm")).as("predictors").isEqualTo(predictors);
        assertThat(distinct.apply("sample-rdpm")).as("sampling nodes").isEqualTo(samplers);
    }

    @ParameterizedTest
    @MethodSource("presets")
    void everyPresetDefinesEveryKeyWithAValidValue(String name) {
        ObjectNode preset = Presets.load(name);
        List<FieldError> errors = new ArrayList<>();
        for (ConfigField field : ConfigSchema.standard().fields()) {
            JsonNode value = preset.at("/" + field.path().replace('.', '/'));
            assertThat(value.isMissingNode()).as(name + " defines " + field.path()).isFalse();
            field.check(value, field.path(), errors);
        }
        assertThat(errors).as(name).isEmpty();
        assertThat(leafCount(preset)).isEqualTo(ConfigSchema.standard().paths().size());
    }

    @Test
    void presetValues() {
        ObjectNode tiny = Presets.load("tiny");
        assertThat(tiny.get("data").toString()).isEqualTo("{\"dataset\":\"fashion-mnist\",\"path\":null,"
                + "\"image_size\":32,\"channels\":1,\"num_classes\":10,\"train_size\":0,\"test_size\":0,\"seed\":0,"
                + "\"shard_size\":10000}");
        // tiny: stride 4 (three levels), 8x8 tokens at 32x32, for both tokenizers
        assertThat(tiny.at("/vq/width_multipliers").asText()).isEqualTo("1,2,4");
        assertThat(tiny.at("/vae/width_multipliers").asText()).isEqualTo("1,2,4");
        assertThat(tiny.at("/vq/commitment_beta").asDouble()).isEqualTo(0.25);
        // b: stride 16 (five levels), LlamaGen VQ-16 codebook, LDM KL-16 latents
        assertThat(Presets.load("b").at("/vq/width_multipliers").asText()).isEqualTo("1,1,2,2,4");
        assertThat(Presets.load("b").at("/vq/codebook_size").asInt()).isEqualTo(16384);
        assertThat(Presets.load("b").at("/vae/latent_channels").asInt()).isEqualTo(16);
        // both weigh the KL as LDM does (kl_weight 1e-6 against per-image sums), the faithful default
        for (String preset : List.of("tiny", "b")) {
            assertThat(Presets.load(preset).at("/vae/kl_weight").asDouble()).isEqualTo(1e-6);
            assertThat(Presets.load(preset).at("/vae/loss_reduction").asText()).isEqualTo("ldm");
        }
        ObjectNode b = Presets.load("b");
        assertThat(b.at("/data/image_size").asInt()).isEqualTo(256);
        assertThat(b.at("/data/channels").asInt()).isEqualTo(3);
        assertThat(b.at("/data/dataset").asText()).isEqualTo("fashion-mnist");
    }

    @Test
    void presetsAreCopies() {
        Presets.load("tiny").put("seed", 42);
        assertThat(Presets.load("tiny").get("seed").asInt()).isZero();
    }

    @Test
    void unknownPresetIsAnArgumentError() {
        assertThatThrownBy(() -> Presets.load("nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("b, tiny");
    }

    @ParameterizedTest
    @MethodSource("sweeps")
    void bundledSweepsParseAndExpand(String name) {
        SweepSpec spec = SweepSpecParser.parse(BundledSweeps.read(name), SweepSpecParser.DEFAULT_MAX_ARMS);
        assertThat(spec.name()).isEqualTo(name);
        List<Arm> arms = spec.expand(SweepSpecParser.DEFAULT_MAX_ARMS);
        if (name.equals("fusions")) {
            assertThat(arms).extracting(a -> a.config().at("/stage2/fusion").asText())
                    .containsExactly("q-former", "none", "cross-attention", "q-former-decoder", "discon");
            assertThat(arms.get(0).name()).isEqualTo("fusions/q-former/seed=0");
            assertThat(arms.get(4).config().at("/stage2/condition").asText()).as("DisCon's setting")
                    .isEqualTo("ground-truth");
            assertThat(arms.get(0).config().at("/stage2/condition").asText()).isEqualTo("stage1-predictions");
            // everything before stage two is the stage1 sweep's, so only stage two runs after it
            ObjectNode stage1 = SweepSpecParser.parse(BundledSweeps.read("stage1")).config();
            for (String shared : List.of("data", "vq", "vae", "pretokenize", "stage1")) {
                assertThat(arms.get(0).config().get(shared)).as("shares the stage1 sweep's " + shared)
                        .isEqualTo(stage1.get(shared));
            }
            return;
        }
        if (name.equals("paper")) {
            paperSweep(arms);
            return;
        }
        if (name.equals("demo") || name.equals("full")) {
            // the arms; every arm shares the data, tokenizers, tokens, stage one and the scorer
            if (name.equals("demo")) {
                assertThat(arms).extracting(Arm::name).containsExactly("demo/mar/seed=0", "demo/cross-attention/seed=0",
                        "demo/q-former-4/seed=0", "demo/discrete-only/seed=0", "demo/rdpm/seed=0");
                assertThat(arms.get(4).config().at("/generator").asText()).isEqualTo("rdpm");
                assertThat(lab.d2c.workflows.graph.ExperimentGraph.plan(arms.get(4).config()).node("evaluate")
                        .orElseThrow().inputKeys().get("images")).isEqualTo(lab.d2c.workflows.graph.ExperimentGraph
                        .plan(arms.get(4).config()).node("sample-rdpm").orElseThrow().key());
                // the paper's 16 of 64 buffer slots: 4 of 16, so the class keeps 12 slots
                assertThat(arms.get(2).config().at("/stage2/queries").asInt()).isEqualTo(4);
                assertThat(arms.get(2).config().at("/stage2/buffer_size").asInt()).isEqualTo(16);
                assertThat(arms.get(3).config().at("/eval/images").asText()).isEqualTo("decode-stage1");
            } else {
                // Tables 1-3 and the three fidelity switches, 3 seeds each
                assertThat(arms).hasSize(11 * 3);
                java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> byName = new java.util.HashMap<>();
                arms.forEach(a -> byName.put(a.params().get("arm").asText(), a.config()));
                assertThat(byName.get("q-former-16").at("/stage2/queries").asInt()).isEqualTo(16);
                assertThat(byName.get("q-former-decoder-4").at("/stage2/fusion").asText()).isEqualTo("q-former-decoder");
                assertThat(byName.get("discon").at("/stage2/condition").asText()).isEqualTo("ground-truth");
                assertThat(byName.get("positions-none").at("/stage2/discrete_positions").asText()).isEqualTo("none");
                assertThat(byName.get("condition-ground-truth").at("/stage2/condition").asText()).isEqualTo("ground-truth");
                assertThat(byName.get("fixed-variance").at("/stage2/learn_sigma").asBoolean()).isFalse();
                assertThat(byName.get("q-former-4").at("/stage2/learn_sigma").asBoolean()).isTrue();
            }
            java.util.Set<String> sharedKeys = new java.util.HashSet<>();
            for (Arm arm : arms) {
                lab.d2c.workflows.graph.ExperimentGraph graph = lab.d2c.workflows.graph.ExperimentGraph.plan(arm.config());
                assertThat(graph.node("evaluate")).isPresent();
                for (String kind : List.of("prepare-dataset", "train-vq", "pretokenize", "train-stage1",
                        "train-classifier", "reference-stats")) {
                    graph.node(kind).ifPresent(n -> sharedKeys.add(kind + "=" + n.key()));
                }
            }
            assertThat(sharedKeys).as("one node of each shared kind across all arms").hasSize(6);
            return;
        }
        if (name.equals("curves")) {
            // Figure 4: every arm samples from one trained stage two, the demo's q-former-4 arm's
            assertThat(arms).hasSize(7 * 4);
            ObjectNode demoQFormer = SweepSpecParser.parse(BundledSweeps.read("demo")).expand(5).get(2).config();
            String demoStage2 = lab.d2c.workflows.graph.ExperimentGraph.plan(demoQFormer).node("train-stage2")
                    .orElseThrow().key();
            for (Arm arm : arms) {
                assertThat(lab.d2c.workflows.graph.ExperimentGraph.plan(arm.config()).node("train-stage2").orElseThrow()
                        .key()).as(arm.name()).isEqualTo(demoStage2);
            }
            return;
        }
        if (name.equals("rdpm")) {
            // Tables 2-4 and Figure 5: T, gamma, the schedules and phi make their own tokenizers; the sampling
            // arms (Table 3) share the reference arm's tokenizer and predictor
            assertThat(arms).hasSize(12);
            java.util.Map<String, lab.d2c.workflows.graph.ExperimentGraph> byName = graphsByArm(arms);
            assertRdpmNodeCounts(byName, 8, 8, 12);
            assertSamePredictor(byName, "t10", List.of("cfg-constant", "cfg-linear", "gumbel", "cfg-linear-gumbel"));
            // the tokenizer arms are the rdpm-tokenizer sweep's tokenizers
            java.util.Set<String> tokenizerSweep = new java.util.HashSet<>();
            SweepSpecParser.parse(BundledSweeps.read("rdpm-tokenizer")).expand(4).forEach(a -> tokenizerSweep.add(
                    lab.d2c.workflows.graph.ExperimentGraph.plan(a.config()).node("train-rdpm-tokenizer").orElseThrow().key()));
            assertThat(tokenizerSweep).containsExactlyInAnyOrder(nodeKey(byName, "t2", "train-rdpm-tokenizer"),
                    nodeKey(byName, "t5", "train-rdpm-tokenizer"), nodeKey(byName, "t10", "train-rdpm-tokenizer"),
                    nodeKey(byName, "t10-no-gamma", "train-rdpm-tokenizer"));
            for (lab.d2c.workflows.graph.ExperimentGraph g : byName.values()) {
                assertThat(g.node("evaluate")).isPresent();
                assertThat(g.node("train-vq")).isEmpty();
            }
            return;
        }
        if (name.equals("rdpm-paper")) {
            // Table 3's ladder shares the reference tokenizer and predictor; Table 4's schedules have their own.
            // The raw arm is the paper sweep's rdpm arm, node for node, and all arms share its classifier.
            assertThat(arms).hasSize(8);
            java.util.Map<String, lab.d2c.workflows.graph.ExperimentGraph> byName = graphsByArm(arms);
            assertRdpmNodeCounts(byName, 5, 5, 8);
            assertSamePredictor(byName, "cfg-linear-gumbel", List.of("raw", "cfg", "cfg-linear"));
            ObjectNode paperRdpm = SweepSpecParser.parse(BundledSweeps.read("paper")).expand(21).stream()
                    .filter(a -> a.name().equals("paper/rdpm/seed=0")).findFirst().orElseThrow().config();
            lab.d2c.workflows.graph.ExperimentGraph paper = lab.d2c.workflows.graph.ExperimentGraph.plan(paperRdpm);
            for (String kind : List.of("train-rdpm-tokenizer", "pretokenize-rdpm", "train-rdpm", "sample-rdpm",
                    "train-classifier", "reference-stats", "evaluate")) {
                assertThat(nodeKey(byName, "raw", kind)).as(kind).isEqualTo(paper.node(kind).orElseThrow().key());
            }
            return;
        }
        if (name.equals("rdpm-tokenizer")) {
            // T = 2, 5, 10 with gamma weighting and T = 10 without (TrainRdpmTokenizerNodeTest plans them)
            assertThat(arms).extracting(Arm::name).containsExactly("rdpm-tokenizer/t2-gamma/seed=0",
                    "rdpm-tokenizer/t5-gamma/seed=0", "rdpm-tokenizer/t10-gamma/seed=0",
                    "rdpm-tokenizer/t10-no-gamma/seed=0");
            return;
        }
        assertThat(arms.get(0).name()).isEqualTo(name + "/seed=0");
        if (name.equals("tokenizers")) {
            assertThat(arms).hasSize(1);
            // the figures in docs/models.md use the preset's full tokenizer schedule, untouched
            assertThat(arms.get(0).config().get("vq")).isEqualTo(Presets.load("tiny").get("vq"));
            assertThat(arms.get(0).config().get("vae")).isEqualTo(Presets.load("tiny").get("vae"));
            assertThat(arms.get(0).config().get("stage1")).isEqualTo(Presets.load("tiny").get("stage1"));
            return;
        }
        if (name.equals("stage1")) {
            assertThat(arms).hasSize(1);
            // reuses the demo's data and tokenizers, so after a demo only stage one runs
            ObjectNode demo = SweepSpecParser.parse(BundledSweeps.read("demo")).config();
            for (String shared : List.of("data", "vq", "vae", "pretokenize")) {
                assertThat(arms.get(0).config().get(shared)).as("shares the demo's " + shared)
                        .isEqualTo(demo.get(shared));
            }
            return;
        }
        assertThat(arms).extracting(Arm::seed).containsExactly(0L, 1L);
        assertThat(arms).extracting(Arm::name).containsExactly(name + "/seed=0", name + "/seed=1");
        for (String shared : List.of("data", "vq", "vae", "pretokenize", "stage1")) {
            assertThat(arms.get(0).config().get(shared)).as("both arms share " + shared)
                    .isEqualTo(arms.get(1).config().get(shared));
        }
        assertThat(arms.get(0).config()).isNotEqualTo(arms.get(1).config());
    }

    /**
     * Issue 24's paper sweep: 7 arms x 3 seeds, every shared node one node, each trained generator one node across its
     * seeds while every seed samples, >= 1000 samples scored against the whole test split, the classifier schedule that
     * reaches 90.9% on all training images, and generators trained until judged converged (or their cap).
     */
    private static void paperSweep(List<Arm> arms) {
        assertThat(arms).hasSize(7 * 3);
        List<String> armNames = List.of("discrete-only", "mar", "cross-attention", "q-former-4", "q-former-decoder-4",
                "discon", "rdpm");
        java.util.Map<String, List<Arm>> byArm = new java.util.LinkedHashMap<>();
        arms.forEach(a -> byArm.computeIfAbsent(a.params().get("arm").asText(), k -> new ArrayList<>()).add(a));
        assertThat(byArm.keySet()).containsExactlyElementsOf(armNames);
        byArm.forEach((arm, seeds) -> assertThat(seeds).as(arm).extracting(Arm::seed).containsExactly(0L, 1L, 2L));
        JsonNode discreteOnly = byArm.get("discrete-only").get(0).config();
        assertThat(discreteOnly.at("/eval/images").asText()).isEqualTo("decode-stage1");
        assertThat(byArm.get("mar").get(0).config().at("/stage2/fusion").asText()).isEqualTo("none");
        assertThat(byArm.get("cross-attention").get(0).config().at("/stage2/fusion").asText()).isEqualTo("cross-attention");
        for (String qformer : List.of("q-former-4", "q-former-decoder-4")) {
            JsonNode c = byArm.get(qformer).get(0).config();
            assertThat(c.at("/stage2/queries").asInt()).as(qformer).isEqualTo(4);
            assertThat(c.at("/stage2/buffer_size").asInt()).as(qformer).isEqualTo(16);
        }
        assertThat(byArm.get("q-former-4").get(0).config().at("/stage2/fusion").asText()).isEqualTo("q-former");
        assertThat(byArm.get("q-former-decoder-4").get(0).config().at("/stage2/fusion").asText())
                .isEqualTo("q-former-decoder");
        assertThat(byArm.get("discon").get(0).config().at("/stage2/fusion").asText()).isEqualTo("discon");
        assertThat(byArm.get("discon").get(0).config().at("/stage2/condition").asText()).isEqualTo("ground-truth");
        assertThat(byArm.get("q-former-4").get(0).config().at("/stage2/condition").asText()).isEqualTo("stage1-predictions");
        assertThat(byArm.get("rdpm").get(0).config().at("/generator").asText()).isEqualTo("rdpm");

        // node keys per kind over all arms, and per arm name
        java.util.Map<String, java.util.Set<String>> keys = new java.util.HashMap<>();
        java.util.Map<String, java.util.Set<String>> stage2ByArm = new java.util.HashMap<>();
        for (Arm arm : arms) {
            String armName = arm.params().get("arm").asText();
            lab.d2c.workflows.graph.ExperimentGraph graph = lab.d2c.workflows.graph.ExperimentGraph.plan(arm.config());
            lab.d2c.workflows.graph.GraphNode evaluate = graph.node("evaluate").orElseThrow(() ->
                    new AssertionError(arm.name() + " has no evaluate"));
            String scored = switch (armName) {
                case "discrete-only" -> "decode-stage1";
                case "rdpm" -> "sample-rdpm";
                default -> "sample";
            };
            assertThat(evaluate.inputKeys().get("images")).as(arm.name() + " scores its " + scored)
                    .isEqualTo(graph.node(scored).orElseThrow().key());
            graph.nodes().forEach(n -> keys.computeIfAbsent(n.kind(), k -> new java.util.HashSet<>()).add(n.key()));
            graph.node("train-stage2").ifPresent(n -> stage2ByArm.computeIfAbsent(armName,
                    k -> new java.util.HashSet<>()).add(n.key()));
            if (armName.equals("discrete-only") || armName.equals("rdpm")) {
                assertThat(graph.node("train-stage2")).as(arm.name()).isEmpty();
            }
            // >= 1000 samples of every kind, scored against the whole test split
            ObjectNode c = arm.config();
            for (String count : List.of("/stage1/sample/count", "/stage2/sample/count", "/rdpm/sample/count")) {
                assertThat(c.at(count).asInt()).as(arm.name() + count).isGreaterThanOrEqualTo(1000);
            }
            assertThat(c.at("/data/test_size").asInt()).as("all 10,000 test images").isIn(0, 10_000);
            assertThat(c.at("/eval/reference_split").asText()).isEqualTo("test");
            assertThat(c.at("/eval/reference_images").asInt()).as("the reference is the whole split").isZero();
        }
        for (String shared : List.of("prepare-dataset", "train-vq", "train-vae", "pretokenize", "train-stage1",
                "predict-stage1", "train-classifier", "reference-stats", "train-rdpm-tokenizer", "pretokenize-rdpm",
                "train-rdpm")) {
            assertThat(keys.get(shared)).as("one " + shared + " node across all arms and seeds").hasSize(1);
        }
        // one stage two per fusion, shared by its 3 seeds; every seed samples and is scored on its own
        assertThat(stage2ByArm.keySet()).containsExactlyInAnyOrder("mar", "cross-attention", "q-former-4",
                "q-former-decoder-4", "discon");
        stage2ByArm.forEach((arm, k) -> assertThat(k).as(arm + "'s stage two across seeds").hasSize(1));
        assertThat(keys.get("train-stage2")).hasSize(5);
        assertThat(keys.get("sample")).hasSize(5 * 3);
        assertThat(keys.get("decode-stage1")).hasSize(3);
        assertThat(keys.get("sample-rdpm")).hasSize(3);
        assertThat(keys.get("evaluate")).hasSize(21);

        // the classifier: the tiny schedule that reaches 90.9% on all of Fashion-MNIST's training images
        ObjectNode config = arms.get(0).config();
        ObjectNode tiny = Presets.load("tiny");
        assertThat(config.at("/data/train_size").asInt()).as("all 60,000 training images").isZero();
        assertThat(config.at("/classifier/train/steps").asInt())
                .isGreaterThanOrEqualTo(tiny.at("/classifier/train/steps").asInt());
        assertThat(config.at("/classifier/train/batch_size").asInt())
                .isEqualTo(tiny.at("/classifier/train/batch_size").asInt());
        assertThat(config.at("/classifier/train/eval_images").asInt()).as("accuracy on the whole test split")
                .isEqualTo(10_000);

        // every generator trainer: trained until converged (its steps a cap, at least 1600 = 2 x the fixed budget
        // of the run before), a held-out set, and an evaluation at 80% of its cap, so the verdict (< 2% over the
        // last 20%) is judged at the cap too
        for (String trainer : List.of("/stage1/train", "/stage2/train", "/rdpm/predictor/train")) {
            JsonNode t = config.at(trainer);
            assertThat(t.get("until_converged").asBoolean()).as(trainer).isTrue();
            assertThat(t.get("steps").asInt()).as(trainer + "'s cap").isGreaterThanOrEqualTo(1600);
            assertThat(t.get("batch_size").asInt()).as(trainer).isEqualTo(64);
            assertThat(t.get("holdout").asDouble()).as(trainer).isPositive();
            int steps = t.get("steps").asInt();
            int every = t.get("eval_every").asInt();
            assertThat(steps * 4 % (5 * every)).as(trainer + ": an evaluation at 80% of the steps").isZero();
            assertThat(steps / every).as(trainer + ": enough evaluations").isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void demoRunsOnFashionMnistAndSmokeOnShapes() {
        ObjectNode demo = SweepSpecParser.parse(BundledSweeps.read("demo")).config();
        assertThat(demo.at("/data/dataset").asText()).isEqualTo("fashion-mnist");
        assertThat(SweepSpecParser.parse(BundledSweeps.read("demo")).preset()).isEqualTo("tiny");
        // issue 24: every arm of the demo scores at least 500 samples, so its intervals mean something
        for (Arm arm : SweepSpecParser.parse(BundledSweeps.read("demo")).expand(SweepSpecParser.DEFAULT_MAX_ARMS)) {
            String sampler = arm.config().at("/generator").asText().equals("rdpm") ? "/rdpm/sample/count"
                    : arm.config().at("/eval/images").asText().equals("decode-stage1") ? "/stage1/sample/count"
                    : "/stage2/sample/count";
            assertThat(arm.config().at(sampler).asInt()).as(arm.name() + " " + sampler).isGreaterThanOrEqualTo(500);
        }
        ObjectNode smoke = SweepSpecParser.parse(BundledSweeps.read("smoke")).config();
        assertThat(smoke.get("data").toString()).isEqualTo("{\"dataset\":\"shapes\",\"path\":null,\"image_size\":32,"
                + "\"channels\":1,\"num_classes\":4,\"train_size\":512,\"test_size\":128,\"seed\":0,"
                + "\"shard_size\":256}");
    }

    @Test
    void unknownBundledSweep() {
        assertThatThrownBy(() -> BundledSweeps.read("smok")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("did you mean 'smoke'?");
    }

    private static int leafCount(JsonNode node) {
        if (!node.isObject()) {
            return 1;
        }
        int n = 0;
        for (JsonNode child : node) {
            n += leafCount(child);
        }
        return n;
    }
}
