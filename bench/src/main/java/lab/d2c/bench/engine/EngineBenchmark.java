package lab.d2c.bench.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import lab.d2c.model.stage1.CausalSelfAttention;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.stage1.LlamaBlock;
import lab.d2c.model.stage1.RotaryEmbedding2d;
import lab.d2c.model.diffusion.DiffusionHead;

/**
 * {@code d2c bench engine}: forward + backward of the stage-one transformer block and of the
 * diffusion head at a preset's widths, timed under DJL here and under PyTorch eager by
 * {@code bench/torch_engine.py} (same shapes, same thread count, no dropout on either side),
 * median of the timed iterations. The goal: DJL time <= 1.10 x PyTorch.
 *
 * <p>Small shapes need many iterations: on this 2-core VM DJL's first few steps of a tiny block
 * ran at twice its settled time (allocator and oneDNN first-shape work), and a neighbour's load
 * moved either side's median by 2x between runs. So the counts default to a time budget per case
 * ({@link #AUTO}), and {@code rounds} alternates the engines, keeping each side's best median.
 */
public final class EngineBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the PyTorch process gets when DJL's allocator uses transparent huge pages. */
    static final String TORCH_HUGE_PAGES = "glibc.malloc.hugetlb=1";

    /**
     * Whether libtorch in this JVM asks for transparent huge pages for large tensors
     * ({@code THP_MEM_ALLOC_ENABLE=1}, set by {@code ./d2c}). A fresh 32 MB activation faulted in 4 KB
     * pages made the b head's step 1.9x slower on either engine; the comparison gives both the same.
     */
    public static boolean hugePages() {
        return "1".equals(System.getenv("THP_MEM_ALLOC_ENABLE"));
    }

    /** A warmup or iteration count chosen from the case's own step time. */
    public static final int AUTO = -1;

    /** Untimed seconds per case under {@link #AUTO} (2 to 20 iterations). */
    static final double WARMUP_SECONDS = 3;

    /** Timed seconds per case under {@link #AUTO} (5 to 100 iterations). */
    static final double TIMED_SECONDS = 15;

    /** One timed module: its shape, parameters and both engines' median milliseconds. */
    public record Row(String id, String model, String preset, String shape, long parameters, double djlMs,
            double torchMs, boolean hugePages) {

        public double ratio() {
            return djlMs / torchMs;
        }
    }

    private EngineBenchmark() {
    }

    /**
     * The cases of a preset: the block at the stage-one width with the preset's token grid, and
     * the head at the stage-two head width with rows = images x tokens x diffusion_batch_mul.
     *
     * @param images images per step (smaller than a training batch for the large presets on CPU)
     */
    public static List<ObjectNode> cases(String presetName, JsonNode preset, int images, int threads, int warmup,
            int iterations) {
        return cases(presetName, preset, images, threads, warmup, iterations, MODELS);
    }

    /** Every model {@code bench engine} times: two building blocks, then the whole stage-two step and sampler. */
    public static final List<String> MODELS = List.of("llama-block", "diffusion-head", Stage2Cases.TRAIN,
            Stage2Cases.SAMPLE);

    /**
     * The cases of a preset for the named {@link #MODELS}, in that order: the stage-one block and the diffusion head
     * as below, and the stage-two training step and sampling loop of {@link Stage2Cases} (a training batch of
     * {@code images} images; a sampling batch of {@code images} images).
     */
    public static List<ObjectNode> cases(String presetName, JsonNode preset, int images, int threads, int warmup,
            int iterations, List<String> models) {
        for (String m : models) {
            if (!MODELS.contains(m)) {
                throw new IllegalArgumentException("no engine case '" + m + "'; known: " + MODELS);
            }
        }
        List<ObjectNode> all = new ArrayList<>(blocks(presetName, preset, images));
        all.addAll(Stage2Cases.cases(presetName, preset, images));
        List<ObjectNode> out = new ArrayList<>();
        for (ObjectNode c : all) {
            if (models.contains(c.get("model").asText())) {
                c.put("threads", threads);
                c.put("warmup", warmup);
                c.put("iterations", iterations);
                out.add(c);
            }
        }
        return out;
    }

    private static List<ObjectNode> blocks(String presetName, JsonNode preset, int images) {
        int levels = preset.at("/vq/width_multipliers").asText().split(",").length;
        int grid = preset.at("/data/image_size").asInt() >> (levels - 1);
        JsonNode s1 = preset.get("stage1");
        JsonNode s2 = preset.get("stage2");
        ObjectNode block = JSON.createObjectNode();
        block.put("id", presetName + "/llama-block");
        block.put("model", "llama-block");
        block.put("preset", presetName);
        block.put("batch", images);
        block.put("length", s1.get("class_tokens").asInt() + grid * grid);
        block.put("width", s1.get("width").asInt());
        block.put("heads", s1.get("heads").asInt());
        block.put("ffn_multiple_of", s1.get("ffn_multiple_of").asInt());
        block.put("norm_eps", s1.get("norm_eps").asDouble());
        block.put("grid", grid);
        block.put("class_tokens", s1.get("class_tokens").asInt());
        block.put("rope_base", s1.get("rope_base").asDouble());
        ObjectNode head = JSON.createObjectNode();
        head.put("id", presetName + "/diffusion-head");
        head.put("model", "diffusion-head");
        head.put("preset", presetName);
        head.put("rows", images * grid * grid * s2.get("diffusion_batch_mul").asInt());
        head.put("channels", preset.at("/vae/latent_channels").asInt());
        head.put("width", s2.get("head_width").asInt());
        head.put("depth", s2.get("head_depth").asInt());
        head.put("condition", s2.get("decoder_width").asInt());
        return List.of(block, head);
    }

    /**
     * Times every case under DJL, then all of them under PyTorch, {@code rounds} times, and prints
     * the table of each side's best median. Cases with {@link #AUTO} counts get theirs from DJL's
     * first round, and PyTorch runs the same counts.
     */
    public static List<Row> run(List<ObjectNode> cases, Path torchScript, String python, int rounds, PrintStream out)
            throws IOException, InterruptedException {
        Map<String, double[]> djl = new LinkedHashMap<>();
        Map<String, Double> torch = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (ObjectNode c : cases) {
                String id = c.get("id").asText();
                double[] timed = timeDjl(c);
                out.printf("round %d  DJL      %-26s %-34s %4d+%-4d %10.2f ms%n", round, id, shape(c),
                        c.get("warmup").asInt(), c.get("iterations").asInt(), timed[0]);
                djl.merge(id, timed, (a, b) -> a[0] <= b[0] ? a : b);
            }
            for (var t : runTorch(cases, torchScript, python, out).entrySet()) {
                ObjectNode c = cases.stream().filter(x -> x.get("id").asText().equals(t.getKey())).findFirst()
                        .orElseThrow();
                sameModel(c, (long) djl.get(t.getKey())[1], t.getValue());
                double ms = t.getValue().get("ms").asDouble();
                out.printf("round %d  PyTorch  %-26s %-34s %9s %10.2f ms%n", round, t.getKey(), "", "", ms);
                torch.merge(t.getKey(), ms, Math::min);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (ObjectNode c : cases) {
            String id = c.get("id").asText();
            rows.add(new Row(id, c.get("model").asText(), c.get("preset").asText(), shape(c), (long) djl.get(id)[1],
                    djl.get(id)[0], torch.get(id), hugePages()));
        }
        out.println();
        out.printf("%-26s %-34s %12s %10s %12s %8s%n", "case", "shape", "parameters", "DJL ms", "PyTorch ms", "ratio");
        for (Row r : rows) {
            out.printf("%-26s %-34s %,12d %10.2f %12.2f %7.2fx%n", r.id(), r.shape(), r.parameters(), r.djlMs(),
                    r.torchMs(), r.ratio());
        }
        return rows;
    }

    static String shape(JsonNode c) {
        return switch (c.get("model").asText()) {
            case "llama-block" -> "B" + c.get("batch") + " L" + c.get("length") + " d" + c.get("width") + " h"
                    + c.get("heads");
            case "diffusion-head" -> "N" + c.get("rows") + " w" + c.get("width") + " depth" + c.get("depth") + " c"
                    + c.get("channels");
            case Stage2Cases.TRAIN -> "B" + c.get("batch") + " N" + c.get("tokens") + " mae" + c.get("encoder_width")
                    + "x" + c.get("encoder_depth") + " head" + c.get("head_width") + "x" + c.get("head_depth") + " x"
                    + c.get("diffusion_batch_mul");
            default -> "B" + c.get("images") + " N" + c.get("tokens") + " " + c.get("ar_steps") + "x"
                    + c.get("sampling_steps") + " steps cfg" + c.get("guidance_scale");
        };
    }

    /**
     * Fails unless PyTorch built the model with DJL's parameter count and ran the shapes the case fixes: a
     * comparison of different models would be meaningless, and so would one of different shapes.
     */
    static void sameModel(JsonNode c, long djlParameters, JsonNode torch) {
        String id = c.get("id").asText();
        List<String> wrong = new ArrayList<>();
        if (torch.get("parameters").asLong() != djlParameters) {
            wrong.add("parameters: DJL " + djlParameters + ", PyTorch " + torch.get("parameters").asLong());
        }
        String model = c.get("model").asText();
        if (model.equals(Stage2Cases.TRAIN)) {
            int steps = c.get("warmup").asInt() + c.get("iterations").asInt();
            int[] expected = Stage2Cases.maskedCounts(c, steps);
            int[] used = ints(torch.at("/shapes/masked_counts"));
            if (used.length < steps || !Arrays.equals(Arrays.copyOf(used, steps), expected)) {
                wrong.add("masked counts: DJL " + Arrays.toString(expected) + ", PyTorch " + Arrays.toString(used));
            }
            // the head runs on the masked rows of the diffusion_batch_mul copies (HybridModel.loss)
            int perMasked = c.get("batch").asInt() * c.get("diffusion_batch_mul").asInt();
            int[] rows = Arrays.stream(expected).map(m -> m * perMasked).toArray();
            int[] ran = ints(torch.at("/shapes/head_rows"));
            if (ran.length < steps || !Arrays.equals(Arrays.copyOf(ran, steps), rows)) {
                wrong.add("head rows per step: DJL " + Arrays.toString(rows) + ", PyTorch " + Arrays.toString(ran));
            }
        } else if (model.equals(Stage2Cases.SAMPLE)) {
            int[] expected = Stage2Cases.headRows(c);
            int[] ran = ints(torch.at("/shapes/head_rows"));
            if (!Arrays.equals(expected, ran)) {
                wrong.add("head rows per AR step: DJL " + Arrays.toString(expected) + ", PyTorch "
                        + Arrays.toString(ran));
            }
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(id + ": the two engines did not run the same model: " + wrong);
        }
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** @return {median ms, parameter count} */
    static double[] timeDjl(ObjectNode c) {
        if (c.get("model").asText().equals(Stage2Cases.TRAIN)) {
            return timeTrainStep(c);
        }
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(0);
            if (c.get("model").asText().equals(Stage2Cases.SAMPLE)) {
                Stage2Cases.Sampling sampling = new Stage2Cases.Sampling(c, manager);
                return new double[] {median(timed(c, sampling::run)), sampling.parameters()};
            }
            Block block;
            Function<NDManager, NDArray> forward;
            ParameterStore store = new ParameterStore(manager, false);
            if (c.get("model").asText().equals("llama-block")) {
                int b = c.get("batch").asInt();
                int length = c.get("length").asInt();
                int width = c.get("width").asInt();
                int heads = c.get("heads").asInt();
                DiscreteArConfig cfg = new DiscreteArConfig(16, c.get("grid").asInt(), 1, width, 1, heads,
                        c.get("class_tokens").asInt(), c.get("ffn_multiple_of").asInt(), c.get("norm_eps").asDouble(),
                        c.get("rope_base").asDouble(), 0, 0, 0, 0);
                LlamaBlock llama = new LlamaBlock(0, cfg);
                llama.initialize(manager, DataType.FLOAT32, new Shape(b, length, width));
                NDArray x = manager.randomNormal(new Shape(b, length, width));
                NDArray mask = CausalSelfAttention.causalMask(manager, 0, length, DataType.FLOAT32);
                RotaryEmbedding2d.Tables rope = new RotaryEmbedding2d(width / heads, c.get("grid").asInt(),
                        c.get("class_tokens").asInt(), c.get("rope_base").asDouble())
                        .tables(manager, 0, length, DataType.FLOAT32);
                block = llama;
                forward = step -> llama.forward(store, onto(step, x), mask, rope, null, null);
            } else {
                int n = c.get("rows").asInt();
                int channels = c.get("channels").asInt();
                int condition = c.get("condition").asInt();
                // noise only, as bench/torch_engine.py's head it is timed against (learning the variance
                // widens only the final linear, from C to 2C outputs)
                DiffusionHead head = new DiffusionHead(channels, c.get("width").asInt(), c.get("depth").asInt(),
                        false);
                head.initialize(manager, DataType.FLOAT32, new Shape(n, channels), new Shape(n, 256), new Shape(n, condition));
                NDArray x = manager.randomNormal(new Shape(n, channels));
                NDArray t = manager.randomNormal(new Shape(n, 256));
                NDArray z = manager.randomNormal(new Shape(n, condition));
                block = head;
                forward = step -> head.forward(store, new NDList(onto(step, x), onto(step, t), onto(step, z)), true)
                        .singletonOrThrow();
            }
            // trained parameters only, as PyTorch's module.parameters(): DJL's LayerNorm keeps its gamma and
            // beta as frozen parameters even without an affine transform (the head's norm_final)
            long parameters = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    parameters += p.getValue().getArray().size();
                }
            }
            Function<NDManager, NDArray> model = forward;
            Runnable step = () -> {
                try (NDManager scope = manager.newSubManager();
                     GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(model.apply(scope).sum());
                }
            };
            double[] ms = timed(c, step);
            // a benchmark of nothing would be fast: the backward must have produced gradients (the head's
            // AdaLN-Zero init leaves most of them zero at first, as in MAR; the last layer's are not)
            double gradients = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray w = p.getValue().getArray();
                if (w.hasGradient()) {
                    gradients += w.getGradient().abs().sum().getFloat();
                }
            }
            if (!(gradients > 0)) {
                throw new IllegalStateException(c.get("id").asText() + ": no gradient reached the parameters");
            }
            return new double[] {median(ms), parameters};
        }
    }

    /**
     * Milliseconds of each timed call of {@code step} after the untimed ones; {@link #AUTO} counts are set in the
     * case from the third of three calibration calls (the first two pay for first-shape work).
     */
    private static double[] timed(ObjectNode c, Runnable step) {
        if (c.get("warmup").asInt() == AUTO || c.get("iterations").asInt() == AUTO) {
            step.run();
            step.run();
            long start = System.nanoTime();
            step.run();
            setCounts(c, (System.nanoTime() - start) / 1e9, 0);
        }
        int warmup = c.get("warmup").asInt();
        int iterations = c.get("iterations").asInt();
        double[] ms = new double[iterations];
        for (int i = 0; i < warmup + iterations; i++) {
            long start = System.nanoTime();
            step.run();
            if (i >= warmup) {
                ms[i - warmup] = (System.nanoTime() - start) / 1e6;
            }
        }
        return ms;
    }

    /** Sets {@link #AUTO} counts from one call's seconds; {@code before} calls already made count as warmup. */
    private static void setCounts(ObjectNode c, double seconds, int before) {
        seconds = Math.max(1e-6, seconds);
        if (c.get("warmup").asInt() == AUTO) {
            c.put("warmup", before + clamp(WARMUP_SECONDS / seconds, 2, 20));
        }
        if (c.get("iterations").asInt() == AUTO) {
            c.put("iterations", clamp(TIMED_SECONDS / seconds, 5, 100));
        }
    }

    /**
     * The training step: steps of one {@link lab.d2c.model.train.TrainingLoop} run, timed end to end, the first
     * warmup steps untimed. With {@link #AUTO} counts a 3-step run calibrates first and its steps count as warmup
     * (the loop's step k draws the k-th masked count either way). Writes the masked counts into the case.
     */
    private static double[] timeTrainStep(ObjectNode c) {
        long[] parameters = new long[1];
        if (c.get("warmup").asInt() == AUTO || c.get("iterations").asInt() == AUTO) {
            double[] calibration = Stage2Cases.trainSteps(c, 3, parameters);
            setCounts(c, calibration[2] / 1e3, 3);
        }
        int warmup = Math.max(1, c.get("warmup").asInt());
        c.put("warmup", warmup);
        int iterations = c.get("iterations").asInt();
        double[] all = Stage2Cases.trainSteps(c, warmup + iterations, parameters);
        Stage2Cases.putMaskedCounts(c, warmup + iterations);
        return new double[] {median(Arrays.copyOfRange(all, warmup, all.length)), parameters[0]};
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static int clamp(double count, int min, int max) {
        return (int) Math.max(min, Math.min(max, Math.round(count)));
    }

    /** A copy of a constant input in the step's manager, so the step's temporaries are freed with it. */
    private static NDArray onto(NDManager step, NDArray constant) {
        NDArray copy = constant.duplicate();
        copy.attach(step);
        return copy;
    }

    /**
     * Runs {@code bench/torch_engine.py} on the cases and returns its result per case id.
     *
     * @param flags none to time; {@code --describe} or {@code --count} for what the script builds and runs
     */
    static Map<String, JsonNode> runTorch(List<ObjectNode> cases, Path script, String python, PrintStream out,
            String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(List.of(flags));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        if (hugePages()) {
            // the same large-tensor huge pages as libtorch's THP_MEM_ALLOC_ENABLE gives DJL here, for a
            // PyTorch that may predate that variable: glibc's malloc madvises its mmap'd chunks
            pb.environment().put("GLIBC_TUNABLES", TORCH_HUGE_PAGES);
        }
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            ArrayNode all = JSON.createArrayNode();
            cases.forEach(all::add);
            in.write(JSON.writeValueAsBytes(all));
        }
        Map<String, JsonNode> results = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode j = JSON.readTree(line);
                if (j.has("torch")) {
                    out.println("  torch " + j.get("torch").asText() + ", " + j.get("threads").asInt() + " threads"
                            + (hugePages() ? ", GLIBC_TUNABLES=" + TORCH_HUGE_PAGES : ", no huge pages"));
                } else {
                    results.put(j.get("id").asText(), j);
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 || results.size() != cases.size()) {
            throw new IOException(script + " exited with " + code + " after " + results.size() + " of " + cases.size()
                    + " cases");
        }
        return results;
    }
}
