package lab.d2c.workers.bench;

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
import lab.d2c.model.ar.CausalSelfAttention;
import lab.d2c.model.ar.DiscreteArConfig;
import lab.d2c.model.ar.LlamaBlock;
import lab.d2c.model.ar.RotaryEmbedding2d;
import lab.d2c.model.diffusion.DiffusionHead;

/**
 * {@code d2c bench engine}: forward + backward of the stage-one transformer block and of the
 * diffusion head at a preset's widths, timed under DJL here and under PyTorch eager by
 * {@code bench/torch_engine.py} (same shapes, same thread count, no dropout on either side),
 * median of the timed iterations. The goal: DJL time <= 1.10 x PyTorch.
 */
public final class EngineBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One timed module: its shape, parameters and both engines' median milliseconds. */
    public record Row(String id, String model, String preset, String shape, long parameters, double djlMs,
            double torchMs) {

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
        for (ObjectNode c : List.of(block, head)) {
            c.put("threads", threads);
            c.put("warmup", warmup);
            c.put("iterations", iterations);
        }
        return List.of(block, head);
    }

    /** Times every case under DJL, then all of them under PyTorch, and prints the table. */
    public static List<Row> run(List<ObjectNode> cases, Path torchScript, String python, PrintStream out)
            throws IOException, InterruptedException {
        Map<String, double[]> djl = new LinkedHashMap<>();
        for (ObjectNode c : cases) {
            out.printf("DJL      %-26s %s%n", c.get("id").asText(), shape(c));
            djl.put(c.get("id").asText(), timeDjl(c));
        }
        out.println("PyTorch  (" + python + " " + torchScript + ")");
        Map<String, JsonNode> torch = runTorch(cases, torchScript, python, out);
        List<Row> rows = new ArrayList<>();
        for (ObjectNode c : cases) {
            String id = c.get("id").asText();
            JsonNode t = torch.get(id);
            rows.add(new Row(id, c.get("model").asText(), c.get("preset").asText(), shape(c), (long) djl.get(id)[1],
                    djl.get(id)[0], t.get("ms").asDouble()));
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
        return c.get("model").asText().equals("llama-block")
                ? "B" + c.get("batch") + " L" + c.get("length") + " d" + c.get("width") + " h" + c.get("heads")
                : "N" + c.get("rows") + " w" + c.get("width") + " depth" + c.get("depth") + " c" + c.get("channels");
    }

    /** @return {median ms, parameter count} */
    static double[] timeDjl(JsonNode c) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(0);
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
                DiffusionHead head = new DiffusionHead(channels, c.get("width").asInt(), c.get("depth").asInt());
                head.initialize(manager, DataType.FLOAT32, new Shape(n, channels), new Shape(n, 256), new Shape(n, condition));
                NDArray x = manager.randomNormal(new Shape(n, channels));
                NDArray t = manager.randomNormal(new Shape(n, 256));
                NDArray z = manager.randomNormal(new Shape(n, condition));
                block = head;
                forward = step -> head.forward(store, new NDList(onto(step, x), onto(step, t), onto(step, z)), true)
                        .singletonOrThrow();
            }
            long parameters = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                parameters += p.getValue().getArray().size();
            }
            int warmup = c.get("warmup").asInt();
            int iterations = c.get("iterations").asInt();
            double[] ms = new double[iterations];
            for (int i = 0; i < warmup + iterations; i++) {
                long start = System.nanoTime();
                try (NDManager step = manager.newSubManager();
                     GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray out = forward.apply(step);
                    gc.backward(out.sum());
                }
                if (i >= warmup) {
                    ms[i - warmup] = (System.nanoTime() - start) / 1e6;
                }
            }
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
            Arrays.sort(ms);
            return new double[] {ms[ms.length / 2], parameters};
        }
    }

    /** A copy of a constant input in the step's manager, so the step's temporaries are freed with it. */
    private static NDArray onto(NDManager step, NDArray constant) {
        NDArray copy = constant.duplicate();
        copy.attach(step);
        return copy;
    }

    private static Map<String, JsonNode> runTorch(List<ObjectNode> cases, Path script, String python, PrintStream out)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python, script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
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
                    out.println("  torch " + j.get("torch").asText() + ", " + j.get("threads").asInt() + " threads");
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
