package lab.d2c.bench.stage2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import lab.d2c.bench.rounds.Spread;
import lab.d2c.workflows.spec.Presets;
import org.junit.jupiter.api.Test;

/**
 * What the stage-two benchmark's figures count, at small sizes (it asserts no speed): on a 4x4 grid only D2C at 16 AR
 * steps exists, each RDPM arm's timed run made T = 10 predictor passes for its one batch of images, and 2 rounds time
 * every arm once each, in rotated order, with the medians taken from those timings.
 */
class Stage2BenchmarkTest {

    @Test
    void rdpmTimingRunsTPredictorPassesPerBatchBesideD2c() throws Exception {
        ObjectNode cfg = Presets.load("tiny");
        ObjectNode stage2 = (ObjectNode) cfg.get("stage2");
        // small widths: the figures' counts, not their values, are under test
        stage2.put("sampling_steps", 2);
        stage2.put("head_width", 16);
        stage2.put("head_depth", 1);
        for (String part : new String[] {"encoder", "decoder"}) {
            stage2.put(part + "_width", 16);
            stage2.put(part + "_depth", 1);
            stage2.put(part + "_heads", 2);
        }
        ObjectNode stage1 = (ObjectNode) cfg.get("stage1");
        stage1.put("width", 16);
        stage1.put("depth", 1);
        stage1.put("heads", 2);
        ((ObjectNode) cfg.at("/rdpm/tokenizer")).put("codebook_size", 32);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Stage2Benchmark.Result r = Stage2Benchmark.run(cfg, "cpu", 4, 3, 0, 0, 0, 2, new PrintStream(bytes, true));
        assertThat(r.secondsPerImage()).containsOnlyKeys("d2c@16", "rdpm@10", "rdpm@10-cfg");
        assertThat(r.secondsPerImage().values()).allSatisfy(v -> assertThat(v).isPositive());
        assertThat(r.rdpmPasses()).containsEntry("rdpm@10", Stage2Benchmark.RDPM_STEPS)
                .containsEntry("rdpm@10-cfg", Stage2Benchmark.RDPM_STEPS);
        assertThat(r.rdpmParameters()).isPositive();
        assertThat(r.trainStepMs()).isNaN();
        assertThat(bytes.toString()).contains("RDPM: predictor 16x2, 2 heads, 32 codes of 8, T = 10");
        assertThat(r.rounds()).isEqualTo(2);
        assertThat(r.order()).containsExactly(List.of("d2c@16", "rdpm@10", "rdpm@10-cfg"),
                List.of("rdpm@10", "rdpm@10-cfg", "d2c@16"));
        assertThat(r.secondsPerImageByRound()).containsOnlyKeys("d2c@16", "rdpm@10", "rdpm@10-cfg");
        r.secondsPerImageByRound().forEach((arm, rounds) -> {
            assertThat(rounds).hasSize(2);
        assertThat(Arrays.stream(rounds).boxed().toList()).allSatisfy(v -> assertThat(v).isPositive());
            Spread spread = r.secondsPerImageSpread().get(arm);
            assertThat(spread.rounds()).isEqualTo(2);
            assertThat(spread.median()).isEqualTo((rounds[0] + rounds[1]) / 2).isEqualTo(r.secondsPerImage().get(arm));
            assertThat(spread.min()).isEqualTo(Math.min(rounds[0], rounds[1]));
            assertThat(spread.max()).isEqualTo(Math.max(rounds[0], rounds[1]));
        });
        // 16 tokens: no MAR at 256, so no D2C@64 against MAR@256 ratio
        assertThat(r.speedupByRound()).isNull();
        assertThat(r.speedup()).isNull();
        assertThat(bytes.toString()).contains("round 2  d2c@16", "(stage one ", "round 1  rdpm@10-cfg",
                "(10 predictor passes)", "range = min-max", "machine probe before each timing");
        // one probe reading of each kind before every arm's timing in every round
        for (Map<String, double[]> probe : List.of(r.probeComputeMsByRound(), r.probeMemoryMsByRound(),
                r.probeFreshPagesMsByRound())) {
            assertThat(probe).containsOnlyKeys("d2c@16", "rdpm@10", "rdpm@10-cfg");
            probe.values().forEach(v -> assertThat(Arrays.stream(v).boxed().toList()).hasSize(2)
                    .allSatisfy(ms -> assertThat(ms).isPositive()));
        }
    }
}
