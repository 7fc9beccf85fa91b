package lab.d2c.bench.tokenizer;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import lab.d2c.model.data.ImageBatches;
import lab.d2c.model.data.ImageSet;
import lab.d2c.model.data.ShapesDataset;
import lab.d2c.model.pretokenize.Pretokenizer;
import lab.d2c.model.runtime.Devices;
import lab.d2c.model.tokenizer.KlVae;
import lab.d2c.model.tokenizer.VqTokenizer;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainableModel;
import lab.d2c.workers.dataset.DatasetManifest;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.tokenizer.TokenizerSettings;
import lab.d2c.workers.training.TrainStepTimer;
import lab.d2c.workers.training.TrainingSettings;
import lab.d2c.workflows.node.NodeTask;

/**
 * {@code d2c bench tokenizers}: the train-step time of both tokenizers at a preset's sizes and
 * the pretokenize throughput, on procedural images of the preset's resolution (the numbers depend
 * on sizes, not on pixel content). A benchmark, not a test: it asserts nothing.
 */
public final class TokenizerBenchmark {

    /** Figures of one run. */
    public record Result(double vqStepMs, double vaeStepMs, double pretokenizeImagesPerSecond, int batchSize,
            int images, String device) {
    }

    private TokenizerBenchmark() {
    }

    /**
     * @param preset   a complete config (a preset, possibly overridden)
     * @param steps    timed training steps per tokenizer (after {@code warmup} untimed ones)
     * @param images   images to pretokenize
     */
    public static Result run(ObjectNode preset, String device, int steps, int warmup, int images, PrintStream out)
            throws IOException {
        NodeContext ctx = new NodeContext(new NodeTask("bench", "bench", 0, preset.toString(), Map.of()), null, null,
                (f, m, d) -> { }, Devices.name(Devices.parse(device)));
        int size = ctx.required("data.image_size").asInt();
        int channels = ctx.required("data.channels").asInt();
        DatasetManifest data = new DatasetManifest("shapes", size, channels, List.of(), "x / 127.5 - 1", Map.of());
        ImageSet set = ShapesDataset.generate(Math.max(images, 256), size, channels, 10, 1);
        ImageBatches batches = new ImageBatches(set);

        VqTokenizer vq = new VqTokenizer(TokenizerSettings.vq(ctx, data));
        KlVae vae = new KlVae(TokenizerSettings.vae(ctx, data));
        TrainConfig vqTrain = TrainingSettings.training(ctx, "vq").withSteps(warmup + steps);
        TrainConfig vaeTrain = TrainingSettings.training(ctx, "vae").withSteps(warmup + steps);
        out.printf("bench tokenizers: %dx%d x%d images, device %s, %d timed steps after %d warmup%n", size, size,
                channels, ctx.device(), steps, warmup);
        double vqMs = TrainStepTimer.millisPerStep("vq", vq, batches, vqTrain, warmup, out);
        double vaeMs = TrainStepTimer.millisPerStep("vae", vae, batches, vaeTrain, warmup, out);

        int batch = ctx.required("pretokenize.batch_size").asInt();
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            // fresh models: the trained ones' parameters went with their loops' managers
            VqTokenizer encoderVq = new VqTokenizer(vq.config());
            KlVae encoderVae = new KlVae(vae.config());
            initialize(encoderVq, manager);
            initialize(encoderVae, manager);
            Pretokenizer pretokenizer = new Pretokenizer(encoderVq, encoderVae, batch);
            pretokenizer.encode(set.slice(0, Math.min(batch, set.count())), manager); // warm up
            long t0 = System.nanoTime();
            pretokenizer.encode(set.slice(0, images), manager);
            double perSecond = images / ((System.nanoTime() - t0) / 1e9);
            out.printf("pretokenize: %.1f images/s (%d images, both flips, both tokenizers, batch %d)%n", perSecond,
                    images, batch);
            return new Result(vqMs, vaeMs, perSecond, vqTrain.batchSize(), images, ctx.device());
        }
    }

    private static void initialize(TrainableModel model, NDManager manager) {
        model.block().initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, model.initShapes());
    }
}
