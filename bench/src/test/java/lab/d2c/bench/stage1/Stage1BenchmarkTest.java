package lab.d2c.bench.stage1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import lab.d2c.bench.rounds.Spread;
import lab.d2c.workflows.spec.Presets;
import org.junit.jupiter.api.Test;

/**
 * What the stage-one benchmark's figures count, at small widths (it asserts no speed): 2 rounds time the cached and
 * the uncached arm once each, in alternating order, and the medians and the speed-up come from those timings, the
 * speed-up as the median of the per-round ratios.
 */
class Stage1BenchmarkTest {

    @Test
    void twoRoundsTimeBothArmsOnceEachInAlternatingOrder() throws Exception {
        ObjectNode cfg = Presets.load("tiny");
        ObjectNode stage1 = (ObjectNode) cfg.get("stage1");
        stage1.put("width", 16);
        stage1.put("depth", 1);
        stage1.put("heads", 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Stage1Benchmark.Result r = Stage1Benchmark.run(cfg, "cpu", 0, 0, 2, 0, 1, 2, new PrintStream(bytes, true));

        assertThat(r.trainStepMs()).isNaN();
        assertThat(r.tokensPerImage()).isEqualTo(64);
        assertThat(r.rounds()).isEqualTo(2);
        assertThat(r.warmupRounds()).isEqualTo(1);
        assertThat(r.order()).containsExactly(List.of("cached", "uncached"), List.of("uncached", "cached"));
        assertThat(r.tokensPerSecondByRound()).containsOnlyKeys("cached", "uncached");
        double[] cached = r.tokensPerSecondByRound().get("cached");
        double[] uncached = r.tokensPerSecondByRound().get("uncached");
        assertThat(cached).hasSize(2);
        assertThat(Arrays.stream(cached).boxed().toList()).allSatisfy(v -> assertThat(v).isPositive());
        assertThat(uncached).hasSize(2);
        assertThat(Arrays.stream(uncached).boxed().toList()).allSatisfy(v -> assertThat(v).isPositive());
        assertThat(r.cachedTokensPerSecond()).isEqualTo((cached[0] + cached[1]) / 2);
        assertThat(r.uncachedTokensPerSecond()).isEqualTo((uncached[0] + uncached[1]) / 2);
        assertThat(r.tokensPerSecond().get("uncached"))
                .isEqualTo(new Spread(r.uncachedTokensPerSecond(), Math.min(uncached[0], uncached[1]),
                        Math.max(uncached[0], uncached[1]), 2));
        assertThat(r.cacheSpeedupByRound()).containsExactly(new double[] {cached[0] / uncached[0],
                cached[1] / uncached[1]}, within(1e-12));
        assertThat(r.cacheSpeedup().median())
                .isCloseTo((cached[0] / uncached[0] + cached[1] / uncached[1]) / 2, within(1e-12));
        assertThat(bytes.toString()).contains("round 1  cached", "round 2  uncached", "median of the 2 rounds' ratios");
        // --json writes the record as it is: the per-round values travel with the medians
        JsonNode json = new ObjectMapper().valueToTree(r);
        assertThat(json.at("/tokensPerSecondByRound/uncached").size()).isEqualTo(2);
        assertThat(json.at("/cacheSpeedupByRound/1").asDouble()).isEqualTo(r.cacheSpeedupByRound()[1]);
        assertThat(json.at("/cacheSpeedup/median").asDouble()).isEqualTo(r.cacheSpeedup().median());
        assertThat(json.at("/order/1/0").asText()).isEqualTo("uncached");
        // a machine-probe reading before each arm's timing in each round, in the output and the JSON
        assertThat(bytes.toString()).contains("machine probe before each timing");
        assertThat(json.at("/probeComputeMsByRound/cached").size()).isEqualTo(2);
        assertThat(json.at("/probeMemoryMsByRound/uncached/1").asDouble()).isPositive();
        assertThat(json.at("/probeFreshPagesMsByRound/cached/0").asDouble()).isPositive();
    }
}
