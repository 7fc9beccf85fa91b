package lab.d2c.bench.stage2;

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
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import lab.d2c.config.rdpm.RdpmPredictorConfig;
import lab.d2c.config.rdpm.RdpmSamplingSettings;
import lab.d2c.config.stage2.GuidanceSchedule;
import lab.d2c.model.rdpm.CodeLookup;
import lab.d2c.model.rdpm.RdpmSampler;
import lab.d2c.model.rdpm.RecurrentTokenPredictor;
import lab.d2c.model.stage1.ArSampler;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.stage1.DiscreteArModel;
import lab.d2c.config.stage1.SamplingSettings;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.model.stage2.HybridModel;
import lab.d2c.model.stage2.HybridSampler;
import lab.d2c.config.stage2.HybridSamplingSettings;
import lab.d2c.model.stage2.HybridTokens;
import lab.d2c.model.runtime.Devices;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.pretokenize.TokenManifest;
import lab.d2c.workers.stage1.Stage1Settings;
import lab.d2c.workers.stage2.Stage2Settings;
import lab.d2c.workers.training.TrainStepTimer;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.node.NodeTask;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code d2c bench stage2}: seconds per image of D2C (stage one with the KV cache, then stage two at
 * 16, 64 and 256 AR steps) and of the MAR baseline (fusion {@code none}, same widths) at 64 and 256
 * steps, in one run (paper section 5.2: D2C at 64 steps about 3.5x faster than MAR at 256), plus
 * stage two's train-step time. The grid is 16x16 by default (256 tokens, as ImageNet 256 with a
 * stride-16 tokenizer) so 256 steps exist. Weights are random: time does not depend on them. A
 * benchmark, not a test: it asserts nothing.
 *
 * <p>Beside them, RDPM (arXiv:2412.18390, Algorithm 2) at T = 10 steps (section 4.3) on the same grid: its recurrent
 * token predictor as wide as stage two's encoder (width and heads) and as deep as stage two's encoder and decoder
 * together, so both run the same transformer blocks per pass; codebook and code dimension from
 * {@code rdpm.tokenizer}, Gumbel from {@code rdpm.sample}. It is timed without guidance ({@code rdpm@10}: one pass of
 * the batch per step) and with it ({@code rdpm@10-cfg}: the null-class half too, as D2C and MAR are timed with
 * {@code stage2.sample}'s guidance). Like D2C's figures, which stop at stage two's tokens, RDPM's stop at the code
 * maps: the tokenizer's decoder is not timed.
 *
 * <p>The arms are timed over {@code rounds} rounds, each round timing every arm once in an order rotated by the round,
 * with D2C at 64 and MAR at 256 back to back in alternating order ({@link Rounds#pairedOrder}), after one untimed
 * warm-up of each model. Each arm's figure is its median over the rounds
 * with the range; D2C at 64 against MAR at 256 is taken per round, then summarized the same way. Single runs of one
 * timing per arm gave 2.6x and 3.5x for that ratio one after the other on the shared VM.
 */
public final class Stage2Benchmark {

    /** RDPM's T in the timing (arXiv:2412.18390 section 4.3: T = 10). */
    public static final int RDPM_STEPS = 10;

    /**
     * Figures of one run: the median over rounds of seconds per image by arm name ("d2c@64", "mar@256", "rdpm@10",
     * "rdpm@10-cfg", ...), each arm's value per round and its median and range, the arms in the order each round
     * timed them, and for each RDPM arm the predictor passes a timed run made (T per batch of images). D2C at 64 steps
     * against MAR at 256 (MAR's time over D2C's, per round) is {@code speedupByRound} and {@code speedup}; both are
     * null where the grid has fewer than 256 tokens. {@code probeComputeMsByRound}, {@code probeMemoryMsByRound} and
     * {@code probeFreshPagesMsByRound} hold the {@link MachineProbe} readings taken just before each arm's timing, by
     * arm and round.
     */
    public record Result(Map<String, Double> secondsPerImage, int rounds, List<List<String>> order,
            Map<String, double[]> secondsPerImageByRound, Map<String, Spread> secondsPerImageSpread,
            double[] speedupByRound, Spread speedup, double trainStepMs, int trainBatch, int images, int grid,
            long d2cParameters, long marParameters, long rdpmParameters, Map<String, Integer> rdpmPasses,
            String device, Map<String, double[]> probeComputeMsByRound, Map<String, double[]> probeMemoryMsByRound,
            Map<String, double[]> probeFreshPagesMsByRound) {
    }

    /** One timed arm: the seconds its generation of all the images took. */
    private interface Arm {
        double seconds();
    }

    private Stage2Benchmark() {
    }

    /**
     * @param steps      timed training steps; 0 skips the train-step timing (its result is NaN)
     * @param trainBatch the training batch, or 0 for the preset's (b's 256 is minutes a step on a CPU)
     * @param rounds     rounds of sampling, each timing every arm once
     */
    public static Result run(ObjectNode preset, String device, int grid, int images, int steps, int warmup,
            int trainBatch, int rounds, PrintStream out) throws IOException {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1: " + rounds);
        }
        NodeContext ctx = new NodeContext(new NodeTask("bench", "bench", 0, preset.toString(), Map.of()), null, null,
                (f, m, d) -> { }, Devices.name(Devices.parse(device)));
        int classes = ctx.required("data.dataset").asText().equals("fashion-mnist") ? 10
                : ctx.required("data.num_classes").asInt();
        List<String> classNames = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            classNames.add("class-" + c);
        }
        int channels = ctx.required("vae.latent_channels").asInt();
        TokenManifest tokens = new TokenManifest(0, 2, grid, ctx.required("vq.codebook_size").asInt(), channels, 1.0,
                classNames, null, null, List.of());
        DiscreteArConfig first = Stage1Settings.model(ctx, tokens);
        HybridConfig d2c = Stage2Settings.model(ctx, tokens, first.width());
        if (!d2c.fusion().usesDiscreteTokens()) {
            d2c = d2c.withFusion(FusionKind.Q_FORMER, d2c.queries());
        }
        HybridConfig mar = d2c.withFusion(FusionKind.NONE, d2c.queries());
        HybridSamplingSettings sampling = Stage2Settings.sampling(ctx);
        SamplingSettings discrete = Stage1Settings.sampling(ctx);
        RdpmPredictorConfig rdpm = rdpmPredictor(ctx, d2c, grid, classes);
        RdpmSamplingSettings rdpmPlain = TrainingSettings.build(ConfigSchema.RDPM_SAMPLE,
                () -> RdpmSamplingSettings.fromConfig(ctx.config())).toBuilder().optGuidanceScale(0).build();
        // any lambda > 0 runs the null-class half at every step; its value does not change the time
        RdpmSamplingSettings rdpmGuided = rdpmPlain.toBuilder().optGuidanceScale(1.0)
                .optGuidanceSchedule(GuidanceSchedule.CONSTANT).build();
        int n = grid * grid;
        out.printf("bench stage2: %s fusion, encoder %dx%d, decoder %dx%d, head %dx%d, %d tokens (%dx%d), %d images, "
                + "guidance %.1f (%s), %d diffusion steps, device %s%n", d2c.fusion().key(), d2c.encoderWidth(),
                d2c.encoderDepth(), d2c.decoderWidth(), d2c.decoderDepth(), d2c.headWidth(), d2c.headDepth(), n, grid,
                grid, images, sampling.guidanceScale(), sampling.guidanceSchedule(), d2c.samplingSteps(), ctx.device());
        out.printf("RDPM: predictor %dx%d, %d heads, %d codes of %d, T = %d, Gumbel %s; random weights%n", rdpm.width(),
                rdpm.depth(), rdpm.heads(), rdpm.vocabSize(), rdpm.codeDim(), rdpm.steps(), rdpmPlain.gumbel());

        // at least one step: --steps 0 --warmup 0 skips the timing, but TrainConfig refuses 0 steps
        TrainConfig train = TrainingSettings.training(ctx, "stage2").withSteps(Math.max(1, warmup + steps));
        train = trainBatch > 0 ? train.withBatchSize(trainBatch) : train;
        double stepMs = steps == 0 ? Double.NaN : TrainStepTimer.millisPerStep("stage2 (" + d2c.fusion().key() + ")",
                new HybridModel(d2c), randomTokens(d2c, Math.max(2 * train.batchSize(), 64)), train, warmup, out);

        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = i % classes;
        }
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            DiscreteArModel ar = new DiscreteArModel(first);
            ar.initialize(manager, DataType.FLOAT32, ar.initShapes());
            HybridModel d2cModel = new HybridModel(d2c);
            d2cModel.initialize(manager, DataType.FLOAT32, d2cModel.initShapes());
            HybridModel marModel = new HybridModel(mar);
            marModel.initialize(manager, DataType.FLOAT32, marModel.initShapes());
            CodeLookup lookup = CodeLookup.codebook(randomCodebook(manager, rdpm));
            RecurrentTokenPredictor rdpmModel = new RecurrentTokenPredictor(rdpm, lookup);
            rdpmModel.initialize(manager, DataType.FLOAT32, rdpmModel.initShapes());
            RdpmSampler rdpmSampler = new RdpmSampler(rdpmModel, lookup);
            // warm up stage one and both stage-two models at the timed batch size: the first call at a new
            // shape pays for oneDNN primitive creation and allocator growth, which would bias the first arm
            int[][] warmIds = new ArSampler(ar).sample(manager, labels, discrete, 0, images, true, null);
            time(d2cModel, manager, labels, warmIds, sampling.withSteps(16));
            time(marModel, manager, labels, null, sampling.withSteps(16));
            int[] passes = new int[1];
            time(rdpmSampler, manager, labels, rdpmPlain, passes);
            time(rdpmSampler, manager, labels, rdpmGuided, passes);
            Map<String, Arm> arms = new LinkedHashMap<>();
            Map<String, Double> stageOne = new LinkedHashMap<>(); // a D2C arm's stage-one seconds in its last timing
            for (int arSteps : new int[] {16, 64, 256}) {
                if (arSteps <= n) {
                    HybridSamplingSettings at = sampling.withSteps(arSteps);
                    arms.put("d2c@" + arSteps, () -> {
                        long t0 = System.nanoTime();
                        int[][] ids;
                        try (NDManager scope = manager.newSubManager()) {
                            ids = new ArSampler(ar).sample(scope, labels, discrete, 0, images, true, null);
                        }
                        double stage1Seconds = (System.nanoTime() - t0) / 1e9;
                        stageOne.put("d2c@" + arSteps, stage1Seconds);
                        return stage1Seconds + time(d2cModel, manager, labels, ids, at);
                    });
                }
            }
            for (int arSteps : new int[] {64, 256}) {
                if (arSteps <= n) {
                    HybridSamplingSettings at = sampling.withSteps(arSteps);
                    arms.put("mar@" + arSteps, () -> time(marModel, manager, labels, null, at));
                }
            }
            Map<String, Integer> rdpmPasses = new LinkedHashMap<>();
            Map<String, RdpmSamplingSettings> rdpmArms = new LinkedHashMap<>();
            rdpmArms.put("rdpm@" + RDPM_STEPS, rdpmPlain);
            rdpmArms.put("rdpm@" + RDPM_STEPS + "-cfg", rdpmGuided);
            rdpmArms.forEach((name, settings) -> arms.put(name, () -> {
                passes[0] = 0;
                double seconds = time(rdpmSampler, manager, labels, settings, passes);
                rdpmPasses.put(name, passes[0]);
                return seconds;
            }));

            List<String> names = List.copyOf(arms.keySet());
            Map<String, double[]> byRound = new LinkedHashMap<>();
            for (String name : names) {
                byRound.put(name, new double[rounds]);
            }
            // daemon threads: an exception before close() does not hold the JVM
            MachineProbe probe = new MachineProbe(Runtime.getRuntime().availableProcessors(), new FreshPages(manager));
            MachineProbe.Log probeLog = new MachineProbe.Log(names, rounds);
            List<List<String>> order = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                List<String> timed = new ArrayList<>();
                int d2c64 = names.indexOf("d2c@64");
                int mar256 = names.indexOf("mar@256");
                // the ratio's two arms back to back, so a slow spell cannot begin between them
                List<Integer> roundOrder = d2c64 >= 0 && mar256 >= 0
                        ? Rounds.pairedOrder(round, names.size(), d2c64, mar256) : Rounds.order(round, names.size());
                for (int i : roundOrder) {
                    String name = names.get(i);
                    timed.add(name);
                    MachineProbe.Reading machine = probe.read();
                    probeLog.put(name, round, machine);
                    double perImage = arms.get(name).seconds() / images;
                    byRound.get(name)[round] = perImage;
                    out.printf("round %d  %-12s %8.3f s/image%s   probe %.0f / %.0f / %.0f ms%n", round + 1, name,
                            perImage,
                            rdpmPasses.containsKey(name) ? " (" + rdpmPasses.get(name) + " predictor passes)"
                            : stageOne.containsKey(name) ? String.format(" (stage one %.3f)", stageOne.get(name) / images)
                            : "", machine.computeMs(), machine.memoryMs(), machine.freshPagesMs());
                }
                order.add(List.copyOf(timed));
            }
            Map<String, Double> perImage = new LinkedHashMap<>();
            Map<String, Spread> spreads = new LinkedHashMap<>();
            out.printf("%n%-12s %14s %9s %9s %7s   (%d rounds; range = min-max)%n", "arm", "median s/image", "min",
                    "max", "range", rounds);
            for (String name : names) {
                Spread spread = Rounds.spread(byRound.get(name));
                spreads.put(name, spread);
                perImage.put(name, spread.median());
                out.printf("%-12s %14.3f %9.3f %9.3f %6.0f%%%n", name, spread.median(), spread.min(), spread.max(),
                        100 * spread.relativeRange());
            }
            out.println("(D2C includes stage one's tokens with the KV cache; RDPM stops at the code maps, its decoder"
                    + " not timed)");
            out.println(probeLog.summary(probe));
            double[] speedups = null;
            Spread speedup = null;
            if (byRound.containsKey("mar@256") && byRound.containsKey("d2c@64")) {
                speedups = Rounds.ratios(byRound.get("mar@256"), byRound.get("d2c@64"));
                speedup = Rounds.spread(speedups);
                out.printf("D2C at 64 steps is %.2fx faster than MAR at 256: median of the %d rounds' ratios (range "
                        + "%.2f-%.2fx, %.0f%% of the median; paper: about 3.5x)%n", speedup.median(), rounds,
                        speedup.min(), speedup.max(), 100 * speedup.relativeRange());
            }
            probe.close();
            return new Result(perImage, rounds, List.copyOf(order), byRound, spreads, speedups, speedup, stepMs,
                    train.batchSize(), images, grid, d2cModel.parameterCount(), marModel.parameterCount(),
                    parameterCount(rdpmModel), rdpmPasses, ctx.device(), probeLog.computeMs(), probeLog.memoryMs(),
                    probeLog.freshPagesMs());
        }
    }

    private static double time(HybridModel model, NDManager manager, int[] labels, int[][] ids,
            HybridSamplingSettings settings) {
        long t0 = System.nanoTime();
        try (NDManager scope = manager.newSubManager()) {
            new HybridSampler(model).sample(scope, labels, ids, settings, 0, 0, null);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** RDPM's T steps on {@code labels} in one batch; {@code passes} counts the predictor passes. */
    private static double time(RdpmSampler sampler, NDManager manager, int[] labels, RdpmSamplingSettings settings,
            int[] passes) {
        long t0 = System.nanoTime();
        try (NDManager scope = manager.newSubManager()) {
            sampler.sample(scope, labels, settings, 0, labels.length, (first, size, t, steps) -> passes[0]++);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * The preset's {@code rdpm.predictor} (SwiGLU rounding, norm eps) at stage two's widths: the encoder's width and
     * heads, the encoder's and decoder's blocks together; K and D from {@code rdpm.tokenizer}, T = {@value RDPM_STEPS}.
     */
    private static RdpmPredictorConfig rdpmPredictor(NodeContext ctx, HybridConfig stage2, int grid, int classes) {
        int vocab = TrainingSettings.integer(ctx, ConfigSchema.RDPM_TOKENIZER + ".codebook_size");
        int codeDim = TrainingSettings.integer(ctx, ConfigSchema.RDPM_TOKENIZER + ".code_dim");
        return TrainingSettings.build(ConfigSchema.RDPM_PREDICTOR, () -> RdpmPredictorConfig.fromConfig(ctx.config(),
                vocab, codeDim, grid, RDPM_STEPS, classes).toBuilder().optWidth(stage2.encoderWidth())
                .optDepth(stage2.encoderDepth() + stage2.decoderDepth()).optHeads(stage2.encoderHeads()).build());
    }

    /** A codebook [K, D] from N(0, 1), as the tokenizer's starts (time does not depend on its values). */
    private static NDArray randomCodebook(NDManager manager, RdpmPredictorConfig config) {
        SplittableRandom r = new SplittableRandom(2);
        float[] v = new float[config.vocabSize() * config.codeDim()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return manager.create(v, new Shape(config.vocabSize(), config.codeDim()));
    }

    private static long parameterCount(RecurrentTokenPredictor model) {
        long count = 0;
        for (Pair<String, Parameter> p : model.getParameters()) {
            count += p.getValue().getArray().getShape().size();
        }
        return count;
    }

    private static HybridTokens randomTokens(HybridConfig config, int images) {
        int n = config.tokens();
        int c = config.tokenChannels();
        SplittableRandom r = new SplittableRandom(1);
        int[] ids = new int[images * 2 * n];
        float[] moments = new float[images * 2 * 2 * c * n];
        int[] labels = new int[images];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = r.nextInt(config.vocabSize());
        }
        for (int i = 0; i < moments.length; i++) {
            moments[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < images; i++) {
            labels[i] = r.nextInt(config.numClasses());
        }
        return HybridTokens.ofMoments(ids, moments, labels, 2, config.grid(), c, 1.0);
    }
}
