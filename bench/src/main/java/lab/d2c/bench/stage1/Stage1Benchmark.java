package lab.d2c.bench.stage1;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import lab.d2c.model.stage1.ArSampler;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.stage1.DiscreteArModel;
import lab.d2c.config.stage1.SamplingSettings;
import lab.d2c.model.stage1.TokenSequences;
import lab.d2c.model.runtime.Devices;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.pretokenize.TokenManifest;
import lab.d2c.workers.stage1.Stage1Settings;
import lab.d2c.workers.training.TrainStepTimer;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.node.NodeTask;

/**
 * {@code d2c bench stage1}: stage one's train-step time at a preset's sizes, and sampling throughput
 * (tokens/s) with and without the KV cache at a given batch. The sequence length follows from the
 * preset (tokens per image = (image size / VQ stride)^2); the token ids are random, which changes
 * nothing about the time. A benchmark, not a test: it asserts nothing.
 */
public final class Stage1Benchmark {

    /** Figures of one run. */
    public record Result(double trainStepMs, int trainBatch, int sampleBatch, int tokensPerImage, long parameters,
            double cachedTokensPerSecond, double uncachedTokensPerSecond, String device) {

        public double cacheSpeedup() {
            return cachedTokensPerSecond / uncachedTokensPerSecond;
        }
    }

    private Stage1Benchmark() {
    }

    /**
     * @param steps       timed training steps (after {@code warmup} untimed ones)
     * @param sampleBatch sequences sampled at once, with and without the cache
     * @param trainBatch  the training batch, or 0 for the preset's; {@code steps} 0 skips the train-step timing
     */
    public static Result run(ObjectNode preset, String device, int steps, int warmup, int sampleBatch, int trainBatch,
            PrintStream out) throws IOException {
        NodeContext ctx = new NodeContext(new NodeTask("bench", "bench", 0, preset.toString(), Map.of()), null, null,
                (f, m, d) -> { }, Devices.name(Devices.parse(device)));
        int levels = ctx.required("vq.width_multipliers").asText().split(",").length;
        int grid = ctx.required("data.image_size").asInt() >> (levels - 1);
        int classes = ctx.required("data.dataset").asText().equals("fashion-mnist") ? 10
                : ctx.required("data.num_classes").asInt();
        List<String> classNames = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            classNames.add("class-" + c);
        }
        TokenManifest tokens = new TokenManifest(0, 2, grid, ctx.required("vq.codebook_size").asInt(), 1, 1.0,
                classNames, null, null, List.of());
        DiscreteArConfig config = Stage1Settings.model(ctx, tokens);
        TrainConfig train = TrainingSettings.training(ctx, "stage1").withSteps(warmup + steps);
        train = trainBatch > 0 ? train.withBatchSize(trainBatch) : train;
        int n = config.tokens();
        out.printf("bench stage1: width %d, depth %d, heads %d, %d tokens per image (%dx%d), vocab %d, %d classes, "
                + "device %s%n", config.width(), config.depth(), config.heads(), n, grid, grid, config.vocabSize(),
                classes, ctx.device());

        int items = Math.max(4 * train.batchSize(), 256);
        SplittableRandom r = new SplittableRandom(1);
        int[] ids = new int[items * n];
        int[] labels = new int[items];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(config.vocabSize());
        }
        for (int i = 0; i < items; i++) {
            labels[i] = r.nextInt(classes);
        }
        double stepMs = steps == 0 ? Double.NaN : TrainStepTimer.millisPerStep("stage1", new DiscreteArModel(config),
                new TokenSequences(ids, labels, n), train, warmup, out);

        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            DiscreteArModel model = new DiscreteArModel(config);
            model.initialize(manager, DataType.FLOAT32, model.initShapes());
            ArSampler sampler = new ArSampler(model);
            int[] sampleLabels = new int[sampleBatch];
            for (int i = 0; i < sampleBatch; i++) {
                sampleLabels[i] = i % classes;
            }
            SamplingSettings plain = SamplingSettings.plain();
            sampler.sample(manager, new int[] {0, 1}, plain, 0, 2, true, null); // warm up
            double cached = tokensPerSecond(sampler, manager, sampleLabels, plain, true);
            double uncached = tokensPerSecond(sampler, manager, sampleLabels, plain, false);
            out.printf("sample with KV cache:    %.0f tokens/s (batch %d, %d tokens each)%n", cached, sampleBatch, n);
            out.printf("sample without KV cache: %.0f tokens/s; the cache is %.1fx faster%n", uncached, cached / uncached);
            return new Result(stepMs, train.batchSize(), sampleBatch, n, model.parameterCount(), cached, uncached,
                    ctx.device());
        }
    }

    private static double tokensPerSecond(ArSampler sampler, NDManager manager, int[] labels, SamplingSettings s,
            boolean cached) {
        long t0 = System.nanoTime();
        int[][] tokens = sampler.sample(manager, labels, s, 0, labels.length, cached, null);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return (double) tokens.length * tokens[0].length / seconds;
    }
}
