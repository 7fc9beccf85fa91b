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

/**
 * {@code d2c bench stage2}: seconds per image of D2C (stage one with the KV cache, then stage two at
 * 16, 64 and 256 AR steps) and of the MAR baseline (fusion {@code none}, same widths) at 64 and 256
 * steps, in one run (paper section 5.2: D2C at 64 steps about 3.5x faster than MAR at 256), plus
 * stage two's train-step time. The grid is 16x16 by default (256 tokens, as ImageNet 256 with a
 * stride-16 tokenizer) so 256 steps exist. Weights are random: time does not depend on them. A
 * benchmark, not a test: it asserts nothing.
 */
public final class Stage2Benchmark {

    /** Figures of one run: seconds per image by arm name ("d2c@64", "mar@256", ...). */
    public record Result(Map<String, Double> secondsPerImage, double trainStepMs, int trainBatch, int images, int grid,
            long d2cParameters, long marParameters, String device) {

        /** D2C at 64 steps against MAR at 256: how many times faster. */
        public double speedup() {
            return secondsPerImage.get("mar@256") / secondsPerImage.get("d2c@64");
        }
    }

    private Stage2Benchmark() {
    }

    /**
     * @param steps      timed training steps; 0 skips the train-step timing (its result is NaN)
     * @param trainBatch the training batch, or 0 for the preset's (b's 256 is minutes a step on a CPU)
     */
    public static Result run(ObjectNode preset, String device, int grid, int images, int steps, int warmup,
            int trainBatch, PrintStream out) throws IOException {
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
        int n = grid * grid;
        out.printf("bench stage2: %s fusion, encoder %dx%d, decoder %dx%d, head %dx%d, %d tokens (%dx%d), %d images, "
                + "guidance %.1f (%s), %d diffusion steps, device %s%n", d2c.fusion().key(), d2c.encoderWidth(),
                d2c.encoderDepth(), d2c.decoderWidth(), d2c.decoderDepth(), d2c.headWidth(), d2c.headDepth(), n, grid,
                grid, images, sampling.guidanceScale(), sampling.guidanceSchedule(), d2c.samplingSteps(), ctx.device());

        TrainConfig train = TrainingSettings.training(ctx, "stage2").withSteps(warmup + steps);
        train = trainBatch > 0 ? train.withBatchSize(trainBatch) : train;
        double stepMs = steps == 0 ? Double.NaN : TrainStepTimer.millisPerStep("stage2 (" + d2c.fusion().key() + ")",
                new HybridModel(d2c), randomTokens(d2c, Math.max(2 * train.batchSize(), 64)), train, warmup, out);

        int[] labels = new int[images];
        for (int i = 0; i < images; i++) {
            labels[i] = i % classes;
        }
        Map<String, Double> perImage = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            DiscreteArModel ar = new DiscreteArModel(first);
            ar.initialize(manager, DataType.FLOAT32, ar.initShapes());
            HybridModel d2cModel = new HybridModel(d2c);
            d2cModel.initialize(manager, DataType.FLOAT32, d2cModel.initShapes());
            HybridModel marModel = new HybridModel(mar);
            marModel.initialize(manager, DataType.FLOAT32, marModel.initShapes());
            // warm up stage one and both stage-two models at the timed batch size: the first call at a new
            // shape pays for oneDNN primitive creation and allocator growth, which would bias the first arm
            int[][] warmIds = new ArSampler(ar).sample(manager, labels, discrete, 0, images, true, null);
            time(d2cModel, manager, labels, warmIds, sampling.withSteps(16));
            time(marModel, manager, labels, null, sampling.withSteps(16));
            for (int arSteps : new int[] {16, 64, 256}) {
                if (arSteps > n) {
                    continue;
                }
                long t0 = System.nanoTime();
                int[][] ids = new ArSampler(ar).sample(manager, labels, discrete, 0, images, true, null);
                double stage1 = (System.nanoTime() - t0) / 1e9;
                double stage2 = time(d2cModel, manager, labels, ids, sampling.withSteps(arSteps));
                perImage.put("d2c@" + arSteps, (stage1 + stage2) / images);
                out.printf("D2C at %3d steps: %.3f s/image (stage one %.3f, stage two %.3f)%n", arSteps,
                        (stage1 + stage2) / images, stage1 / images, stage2 / images);
            }
            for (int arSteps : new int[] {64, 256}) {
                if (arSteps > n) {
                    continue;
                }
                double seconds = time(marModel, manager, labels, null, sampling.withSteps(arSteps));
                perImage.put("mar@" + arSteps, seconds / images);
                out.printf("MAR at %3d steps: %.3f s/image%n", arSteps, seconds / images);
            }
            Result result = new Result(perImage, stepMs, train.batchSize(), images, grid, d2cModel.parameterCount(),
                    marModel.parameterCount(), ctx.device());
            if (perImage.containsKey("mar@256") && perImage.containsKey("d2c@64")) {
                out.printf("D2C at 64 steps is %.1fx faster than MAR at 256 (paper: about 3.5x)%n", result.speedup());
            }
            return result;
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
