package lab.d2c.bench.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.model.stage2.HybridModel;
import lab.d2c.workflows.spec.Presets;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What {@code bench engine}'s stage-two figures count (speed is never asserted): the cases are the preset's model
 * and sampling settings, the DJL training loop masks exactly the counts the case hands PyTorch, the sampler's head
 * rows follow the mask schedule, a disagreement between the engines fails the bench, and (where Debian's
 * python3-torch is installed) bench/torch_engine.py builds the DJL model's parameter count and runs its shapes.
 */
class Stage2CasesTest {

    private static final int IMAGES = 2;

    @Test
    void tinyCasesAreThePresetsModelAndSampling() throws Exception {
        ObjectNode tiny = Presets.load("tiny");
        List<ObjectNode> cases = EngineBenchmark.cases("tiny", tiny, IMAGES, 2, 3, 4,
                List.of(Stage2Cases.TRAIN, Stage2Cases.SAMPLE));
        assertThat(cases).extracting(c -> c.get("id").asText()).containsExactly("tiny/stage2-train", "tiny/d2c-sample");
        HybridConfig preset = HybridConfig.fromConfig(tiny, 8, 4, 10, 512, 128).withDropout(0.1, 0.1, 0, 0);
        for (ObjectNode c : cases) {
            assertThat(Stage2Cases.config(c)).isEqualTo(preset);
            assertThat(c.get("threads").asInt()).isEqualTo(2);
        }
        assertThat(preset.fusion()).isEqualTo(FusionKind.Q_FORMER);
        assertThat(preset.learnSigma()).isTrue();
        ObjectNode train = cases.get(0);
        assertThat(train.get("batch").asInt()).isEqualTo(IMAGES);
        assertThat(train.get("ema_decay").asDouble()).isEqualTo(0.99);
        assertThat(train.get("clip_norm").asDouble()).isEqualTo(1.0);
        assertThat(train.get("weight_decay").asDouble()).isEqualTo(0.02);
        ObjectNode sample = cases.get(1);
        assertThat(sample.get("ar_steps").asInt()).isEqualTo(16);
        assertThat(sample.get("sampling_steps").asInt()).isEqualTo(100);
        assertThat(sample.get("guidance_scale").asDouble()).isEqualTo(2.0);
        // 16 AR steps reveal all 64 tokens of each image, every step guided (linear schedule, scale > 1): both halves
        int[] rows = Stage2Cases.headRows(sample);
        assertThat(rows).hasSize(16);
        assertThat(Arrays.stream(rows).sum()).isEqualTo(2 * IMAGES * 64);
        assertThat(Arrays.stream(rows).boxed().toList()).allSatisfy(r -> assertThat(r % (2 * IMAGES)).isZero());
        assertThatThrownBy(() -> EngineBenchmark.cases("tiny", tiny, 1, 1, 1, 1, List.of("stage3")))
                .hasMessageContaining("no engine case 'stage3'");
    }

    @Test
    void theDjlLoopMasksTheCountsTheCaseHandsPyTorch() {
        ObjectNode c = smallTrainCase();
        int[] counts = Stage2Cases.maskedCounts(c, 4);
        // ceil(N r) with r in [mask_ratio_min, 1]: at least 45 of 64 (tiny's 0.7), at most all
        assertThat(Arrays.stream(counts).boxed().toList()).allSatisfy(k -> assertThat(k).isBetween(45, 64));
        long[] parameters = new long[1];
        // trainSteps throws when a step of the loop masks another count than the case's
        double[] ms = Stage2Cases.trainSteps(c, 4, parameters);
        assertThat(ms[0]).isNaN();
        assertThat(Arrays.stream(ms, 1, 4).boxed().toList()).allSatisfy(v -> assertThat(v).isPositive());
        assertThat(parameters[0]).isEqualTo(djlParameters(c));
        ObjectNode other = c.deepCopy();
        other.put("seed", c.get("seed").asLong() + 1);
        assertThat(Stage2Cases.maskedCounts(other, 16)).isNotEqualTo(Stage2Cases.maskedCounts(c, 16));
    }

    @Test
    void engineDisagreementFailsTheBench() {
        ObjectNode c = smallTrainCase();
        c.put("warmup", 1);
        c.put("iterations", 2);
        int[] counts = Stage2Cases.maskedCounts(c, 3);
        // the head's rows per step: the masked rows of the 4 diffusion_batch_mul copies
        int[] rows = Arrays.stream(counts).map(m -> IMAGES * m * 4).toArray();
        ObjectNode torch = torchResult(100, counts, rows);
        EngineBenchmark.sameModel(c, 100, torch);
        assertThatThrownBy(() -> EngineBenchmark.sameModel(c, 101, torch)).hasMessageContaining("parameters: DJL 101");
        int[] shifted = counts.clone();
        shifted[2] = counts[2] == 64 ? 63 : counts[2] + 1;
        assertThatThrownBy(() -> EngineBenchmark.sameModel(c, 100, torchResult(100, shifted, rows)))
                .hasMessageContaining("masked counts");
        assertThat(Arrays.stream(counts).min().getAsInt()).as("a step leaves rows unmasked").isLessThan(64);
        int[] everyRow = Arrays.stream(counts).map(m -> IMAGES * 64 * 4).toArray();
        assertThatThrownBy(() -> EngineBenchmark.sameModel(c, 100, torchResult(100, counts, everyRow)))
                .hasMessageContaining("head rows");
    }

    @Test
    void pyTorchBuildsTheDjlModelAndRunsItsShapes() throws Exception {
        Path script = Path.of("torch_engine.py");
        Assumptions.assumeTrue(Files.isRegularFile(script), "run from the bench module");
        Assumptions.assumeTrue(new ProcessBuilder("/usr/bin/python3", "-c", "import torch").start().waitFor() == 0,
                "Debian's python3-torch is not installed");
        List<ObjectNode> cases = EngineBenchmark.cases("tiny", Presets.load("tiny"), IMAGES, 1, 1, 1,
                List.of(Stage2Cases.TRAIN, Stage2Cases.SAMPLE));
        Stage2Cases.putMaskedCounts(cases.get(0), 2);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Map<String, JsonNode> torch = EngineBenchmark.runTorch(cases, script, "/usr/bin/python3",
                new PrintStream(log, true), "--describe");
        for (ObjectNode c : cases) {
            // sameModel compares the parameter counts and the shapes both steps ran
            EngineBenchmark.sameModel(c, djlParameters(c), torch.get(c.get("id").asText()));
        }
        assertThat(torch.get("tiny/stage2-train").at("/shapes/trainable").asLong())
                // all but the frozen discrete embedding and the final norm's constant gain and bias
                .isEqualTo(djlParameters(cases.get(0)) - 512 * 128 - 2 * 128);
        assertThat(torch.get("tiny/d2c-sample").at("/shapes/diffusion_steps").asInt()).isEqualTo(100);
    }

    /** tiny's stage-two case on {@value #IMAGES} images. */
    private static ObjectNode smallTrainCase() {
        try {
            return EngineBenchmark.cases("tiny", Presets.load("tiny"), IMAGES, 1, 1, 1, List.of(Stage2Cases.TRAIN))
                    .get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode torchResult(long parameters, int[] counts, int[] rows) {
        ObjectNode r = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
        r.put("parameters", parameters);
        ObjectNode shapes = r.putObject("shapes");
        Arrays.stream(counts).forEach(shapes.putArray("masked_counts")::add);
        Arrays.stream(rows).forEach(shapes.putArray("head_rows")::add);
        return r;
    }

    private static long djlParameters(ObjectNode c) {
        try (NDManager manager = NDManager.newBaseManager()) {
            HybridModel model = new HybridModel(Stage2Cases.config(c));
            model.initialize(manager, DataType.FLOAT32, model.initShapes());
            return model.parameterCount();
        }
    }
}
