package lab.d2c.workflows.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import lab.d2c.workflows.graph.ExperimentGraph;
import lab.d2c.workflows.graph.GraphNode;
import lab.d2c.workflows.graph.PretokenizeNode;
import lab.d2c.workflows.graph.SampleNode;
import lab.d2c.workflows.graph.TrainStage1Node;
import lab.d2c.workflows.graph.TrainStage2Node;
import lab.d2c.workflows.graph.TrainVqNode;
import org.junit.jupiter.api.Test;

/**
 * {@code seed_keys}: which trainers the run seed reaches. Without it the seeds of an arm share every trained
 * model (the spread is sampling variation); with {@code stage2.seed} in it, stage two is a different node per
 * seed while the tokenizer and stage one stay shared.
 */
class SeedKeysTest {

    private static final String BASE = """
            name: seeds
            preset: tiny
            config:
              data.dataset: shapes
            arms:
              - name: mar
                stage2.fusion: none
              - name: q-former-4
                stage2.fusion: q-former
                stage2.queries: 4
            seeds: [0, 1, 2]
            """;

    /** Per arm (in expansion order), node kind to node key. */
    private static List<Map<String, String>> keysByArm(String spec) {
        return SweepSpecParser.parse(spec).expand(SweepSpecParser.DEFAULT_MAX_ARMS).stream()
                .map(arm -> ExperimentGraph.plan(arm.config()).nodes().stream()
                        .collect(Collectors.toMap(GraphNode::kind, GraphNode::key)))
                .toList();
    }

    private static long distinct(List<Map<String, String>> arms, String kind) {
        return arms.stream().map(a -> a.get(kind)).distinct().count();
    }

    @Test
    void withoutSeedKeysTheSeedsOfAnArmShareTheirTrainersAndDifferInSamplingOnly() {
        List<Map<String, String>> mar = keysByArm(BASE).subList(0, 3);
        assertThat(distinct(mar, TrainStage2Node.KIND)).isEqualTo(1);
        assertThat(distinct(mar, TrainStage1Node.KIND)).isEqualTo(1);
        assertThat(distinct(mar, SampleNode.KIND)).isEqualTo(3);
    }

    @Test
    void aSeedKeyTrainsThatTrainerOncePerSeedAndLeavesTheOthersShared() {
        String spec = BASE + "seed_keys: [stage2.seed]\n";
        List<Map<String, String>> arms = keysByArm(spec);
        List<Map<String, String>> mar = arms.subList(0, 3);
        assertThat(distinct(mar, TrainStage2Node.KIND)).isEqualTo(3);
        assertThat(distinct(mar, SampleNode.KIND)).isEqualTo(3);
        assertThat(distinct(arms, TrainStage1Node.KIND)).isEqualTo(1);
        assertThat(distinct(arms, TrainVqNode.KIND)).isEqualTo(1);
        assertThat(distinct(arms, PretokenizeNode.KIND)).isEqualTo(1);
        // the arm's params (its report row) do not change, so the seeds still pool into one row
        SweepSpec parsed = SweepSpecParser.parse(spec);
        List<Arm> expanded = parsed.expand(SweepSpecParser.DEFAULT_MAX_ARMS);
        assertThat(expanded.get(1).params()).isEqualTo(expanded.get(0).params());
        assertThat(expanded).extracting(a -> a.config().at("/stage2/seed").asLong())
                .containsExactly(0L, 1L, 2L, 0L, 1L, 2L);
        // seed 0 is the key's default: it reuses what the sweep without seed_keys trained
        assertThat(arms.get(0).get(TrainStage2Node.KIND)).isEqualTo(keysByArm(BASE).get(0).get(TrainStage2Node.KIND));
    }

    @Test
    void stageOneInSeedKeysRetrainsStageOneAndWhatReadsItPerSeed() {
        List<Map<String, String>> qformer = keysByArm(BASE + "seed_keys: [stage1.seed]\n").subList(3, 6);
        assertThat(distinct(qformer, TrainStage1Node.KIND)).isEqualTo(3);
        assertThat(distinct(qformer, TrainStage2Node.KIND)).as("q-former reads stage one's predictions").isEqualTo(3);
        assertThat(distinct(qformer, TrainVqNode.KIND)).isEqualTo(1);
    }

    @Test
    void badSeedKeysNameTheirEntry() {
        List<FieldError> errors = Specs.errorsOf(BASE + "seed_keys: [stage2.sed, stage2.lr, stage2.seed, stage2.seed, 3]\n");
        assertThat(errors).extracting(FieldError::path)
                .containsExactly("seed_keys[0]", "seed_keys[1]", "seed_keys[3]", "seed_keys[4]");
        assertThat(errors.get(0).reason()).contains("not a seed key").contains("did you mean 'stage2.seed'");
        assertThat(errors.get(1).reason()).contains("not a seed key");
        assertThat(errors.get(2).reason()).contains("duplicate").contains("seed_keys[2]");
        assertThat(errors.get(3).reason()).contains("expected a seed key");
        assertThat(Specs.errorsOf(BASE + "seed_keys: stage2.seed\n")).extracting(FieldError::path)
                .containsExactly("seed_keys");
    }

    @Test
    void aSeedKeySetElsewhereInTheSpecIsAmbiguous() {
        String inConfig = BASE.replace("  data.dataset: shapes\n", "  data.dataset: shapes\n  stage2.seed: 4\n");
        assertThat(Specs.errorsOf(inConfig + "seed_keys: [stage2.seed]\n")).singleElement()
                .satisfies(e -> assertThat(e.path() + ": " + e.reason()).startsWith("seed_keys[0]: ambiguous")
                        .contains("config"));
        String inArm = BASE.replace("    stage2.queries: 4\n", "    stage2.queries: 4\n    stage2.seed: 4\n");
        assertThat(Specs.errorsOf(inArm + "seed_keys: [stage2.seed]\n")).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("arm 'q-former-4'"));
        String inGrid = BASE + "parameters:\n  stage2.seed:\n    values: [4, 5]\n";
        assertThat(Specs.errorsOf(inGrid + "seed_keys: [stage2.seed]\n")).singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("parameters"));
    }
}
