package lab.d2c.bench.stage1;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import lab.d2c.bench.rounds.FreshPages;
import lab.d2c.bench.rounds.MachineProbe;
import lab.d2c.bench.rounds.Rounds;
import lab.d2c.bench.rounds.Spread;
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
 *
 * <p>The two sampling arms are timed over {@code rounds} rounds, each round timing both once in an order that
 * alternates ({@link Rounds#order}); the cache's speed-up is taken per round and reported as the median over rounds
 * with its range. One pair of timings moved the speed-up from 7.1x to 5.4x between two runs on the shared VM.
 */
public final class Stage1Benchmark {

    /** The sampling arms, in the order round 0 times them. */
    public static final List<String> ARMS = List.of("cached", "uncached");

    /**
     * Figures of one run. {@code cachedTokensPerSecond} and {@code uncachedTokensPerSecond} are the medians over
     * rounds; {@code tokensPerSecondByRound} holds each arm's value per round, {@code cacheSpeedupByRound} cached over
     * uncached per round, {@code order} the arms in the order each round timed them, {@code probeComputeMsByRound},
     * {@code probeMemoryMsByRound} and {@code probeFreshPagesMsByRound} the {@link MachineProbe} readings taken just
     * before each arm's timing.
     */
    public record Result(double trainStepMs, int trainBatch, int sampleBatch, int tokensPerImage, long parameters,
            double cachedTokensPerSecond, double uncachedTokensPerSecond, int warmupRounds, int rounds,
            List<List<String>> order,
            Map<String, double[]> tokensPerSecondByRound, Map<String, Spread> tokensPerSecond,
            double[] cacheSpeedupByRound, Spread cacheSpeedup, String device, Map<String, double[]> probeComputeMsByRound,
            Map<String, double[]> probeMemoryMsByRound, Map<String, double[]> probeFreshPagesMsByRound) {
    }

    private Stage1Benchmark() {
    }

    /**
     * @param steps       timed training steps (after {@code warmup} untimed ones)
     * @param sampleBatch sequences sampled at once, with and without the cache
     * @param trainBatch  the training batch, or 0 for the preset's; {@code steps} 0 skips the train-step timing
     * @param warmupRounds untimed rounds first, each running both arms once at the timed batch
     * @param rounds      rounds of sampling, each timing both arms once
     */
    public static Result run(ObjectNode preset, String device, int steps, int warmup, int sampleBatch, int trainBatch,
            int warmupRounds, int rounds, PrintStream out) throws IOException {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1: " + rounds);
        }
        if (warmupRounds < 1) {
            throw new IllegalArgumentException("warmupRounds must be >= 1: " + warmupRounds);
        }
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
        // at least one step: --steps 0 --warmup 0 skips the timing, but TrainConfig refuses 0 steps
        TrainConfig train = TrainingSettings.training(ctx, "stage1").withSteps(Math.max(1, warmup + steps));
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
            // untimed: both arms at the timed batch, so neither pays the first calls' oneDNN primitive creation and
            // allocator growth at this shape. One call each was not enough: in every run of three series the first
            // two timed rounds were the slowest for both arms (BENCHMARKS.md, section 2), hence whole rounds.
            for (int round = 0; round < warmupRounds; round++) {
                for (int i : Rounds.order(round, ARMS.size())) {
                    tokensPerSecond(sampler, manager, sampleLabels, plain, ARMS.get(i).equals("cached"));
                }
            }
            Map<String, double[]> byRound = new LinkedHashMap<>();
            for (String arm : ARMS) {
                byRound.put(arm, new double[rounds]);
            }
            // daemon threads: an exception before close() does not hold the JVM
            MachineProbe probe = new MachineProbe(Runtime.getRuntime().availableProcessors(), new FreshPages(manager));
            MachineProbe.Log probeLog = new MachineProbe.Log(ARMS, rounds);
            List<List<String>> order = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                List<String> names = new ArrayList<>();
                for (int i : Rounds.order(round, ARMS.size())) {
                    String arm = ARMS.get(i);
                    names.add(arm);
                    MachineProbe.Reading machine = probe.read();
                    probeLog.put(arm, round, machine);
                    double tps = tokensPerSecond(sampler, manager, sampleLabels, plain, arm.equals("cached"));
                    byRound.get(arm)[round] = tps;
                    out.printf("round %d  %-9s %10.0f tokens/s   probe %.0f / %.0f / %.0f ms%n", round + 1, arm, tps,
                            machine.computeMs(), machine.memoryMs(), machine.freshPagesMs());
                }
                order.add(List.copyOf(names));
            }
            Map<String, Spread> spreads = new LinkedHashMap<>();
            byRound.forEach((arm, values) -> spreads.put(arm, Rounds.spread(values)));
            double[] speedups = Rounds.ratios(byRound.get("cached"), byRound.get("uncached"));
            Spread speedup = Rounds.spread(speedups);
            Spread cached = spreads.get("cached");
            Spread uncached = spreads.get("uncached");
            out.printf("sample with KV cache:    %.0f tokens/s, median of %d rounds (range %.0f-%.0f; batch %d, %d tokens "
                    + "each)%n", cached.median(), rounds, cached.min(), cached.max(), sampleBatch, n);
            out.printf("sample without KV cache: %.0f tokens/s (range %.0f-%.0f)%n", uncached.median(), uncached.min(),
                    uncached.max());
            out.printf("the cache is %.2fx faster: median of the %d rounds' ratios (range %.2f-%.2fx, %.0f%% of the "
                    + "median)%n", speedup.median(), rounds, speedup.min(), speedup.max(), 100 * speedup.relativeRange());
            out.println(probeLog.summary(probe));
            probe.close();
            return new Result(stepMs, train.batchSize(), sampleBatch, n, model.parameterCount(), cached.median(),
                    uncached.median(), warmupRounds, rounds, List.copyOf(order), byRound, spreads, speedups, speedup, ctx.device(),
                    probeLog.computeMs(), probeLog.memoryMs(),
                    probeLog.freshPagesMs());
        }
    }

    private static double tokensPerSecond(ArSampler sampler, NDManager manager, int[] labels, SamplingSettings s,
            boolean cached) {
        long t0 = System.nanoTime();
        int[][] tokens;
        // a scope per timing: the rounds would otherwise pile every call's arrays up in the benchmark's manager
        try (NDManager scope = manager.newSubManager()) {
            tokens = sampler.sample(scope, labels, s, 0, labels.length, cached, null);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return (double) tokens.length * tokens[0].length / seconds;
    }
}
