package lab.d2c.bench.engine;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import lab.d2c.config.diffusion.NoiseScheduleKind;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.GuidanceSchedule;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.config.stage2.HybridSamplingSettings;
import lab.d2c.model.stage2.HybridModel;
import lab.d2c.model.stage2.HybridSampler;
import lab.d2c.model.stage2.HybridTokens;
import lab.d2c.model.stage2.MaskRatioSampler;
import lab.d2c.model.stage2.MaskSchedule;
import lab.d2c.model.train.StepReport;
import lab.d2c.model.train.StepRandom;
import lab.d2c.model.train.TrainConfig;
import lab.d2c.model.train.TrainingListener;
import lab.d2c.model.train.TrainingLoop;

/**
 * The two whole stage-two cases of {@code bench engine} (issue 25): {@code stage2-train}, one training step of the
 * hybrid model as {@link TrainingLoop} runs it (batch, the MAE with its Q-Former fusion, the learned-sigma diffusion
 * loss over images x tokens x {@code diffusion_batch_mul} rows, backward, clipping, AdamW, EMA, the discrete embedding
 * frozen as {@code train-stage2} freezes it), and {@code d2c-sample}, one batch of {@link HybridSampler} at the
 * preset's AR steps with its guidance and the head's respaced steps. {@code bench/torch_stage2.py} runs both in
 * PyTorch eager from the same case JSON, which is all either side reads of the model: {@link #config} rebuilds the
 * DJL model from it.
 *
 * <p>Both sides run the same shapes: a training step's shapes are set by the masked count its mask-ratio draw gives
 * (the encoder sees buffer + N - masked rows), so the case carries the count of each step as the DJL loop draws it
 * ({@link #maskedCounts}), PyTorch's step k uses entry k, and the DJL side checks its loop drew exactly those. The
 * sampler's head rows per AR step follow from the mask schedule alone ({@link #headRows}); PyTorch reports the rows it
 * ran and the bench compares. Attention and projection dropout are off on both sides (as for the block and the head:
 * b's 0.1 would time seeded mask draws, not the model); class and discrete-token dropout stay.
 */
public final class Stage2Cases {

    /** The training step's case. */
    public static final String TRAIN = "stage2-train";

    /** The sampling loop's case. */
    public static final String SAMPLE = "d2c-sample";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Stage2Cases() {
    }

    /**
     * The two cases of a preset: its {@code stage2} model (the Q-Former fusion where the preset names a fusion that
     * reads no discrete tokens, as {@code bench stage2} does), trained on {@code images} images per step with its
     * {@code stage2.train} optimizer, and sampled {@code images} at a time with its {@code stage2.sample} settings.
     */
    public static List<ObjectNode> cases(String presetName, JsonNode preset, int images) {
        int levels = preset.at("/vq/width_multipliers").asText().split(",").length;
        int grid = preset.at("/data/image_size").asInt() >> (levels - 1);
        HybridConfig config = HybridConfig.fromConfig(preset, grid, preset.at("/vae/latent_channels").asInt(),
                preset.at("/data/num_classes").asInt(), preset.at("/vq/codebook_size").asInt(),
                preset.at("/stage1/width").asInt());
        if (!config.fusion().usesDiscreteTokens()) {
            config = config.withFusion(FusionKind.Q_FORMER, config.queries());
        }
        config = config.withDropout(config.classDropout(), config.discreteDropout(), 0, 0);
        JsonNode train = preset.at("/stage2/train");
        ObjectNode step = model(presetName, TRAIN, config);
        step.put("batch", images);
        step.put("seed", preset.at("/stage2/seed").asLong());
        step.put("lr", train.get("lr").asDouble());
        step.put("weight_decay", train.get("weight_decay").asDouble());
        step.put("beta1", 0.9);
        step.put("beta2", 0.95);
        step.put("eps", 1e-8);
        step.put("clip_norm", train.get("clip_norm").asDouble());
        step.put("ema_decay", train.get("ema_decay").asDouble());
        step.put("freeze_discrete_embedding", preset.at("/stage2/freeze_discrete_embedding").asBoolean());
        HybridSamplingSettings sampling = HybridSamplingSettings.fromConfig(preset);
        ObjectNode sample = model(presetName, SAMPLE, config);
        sample.put("images", images);
        sample.put("ar_steps", sampling.steps());
        sample.put("guidance_scale", sampling.guidanceScale());
        sample.put("guidance_schedule", sampling.guidanceSchedule().key());
        sample.put("temperature", sampling.temperature());
        sample.put("x0_clip", sampling.x0Clip());
        return List.of(step, sample);
    }

    private static ObjectNode model(String presetName, String model, HybridConfig config) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", presetName + "/" + model);
        c.put("model", model);
        c.put("preset", presetName);
        c.put("grid", config.grid());
        c.put("tokens", config.tokens());
        c.put("token_channels", config.tokenChannels());
        c.put("num_classes", config.numClasses());
        c.put("vocab_size", config.vocabSize());
        c.put("discrete_width", config.discreteWidth());
        c.put("encoder_width", config.encoderWidth());
        c.put("encoder_depth", config.encoderDepth());
        c.put("encoder_heads", config.encoderHeads());
        c.put("decoder_width", config.decoderWidth());
        c.put("decoder_depth", config.decoderDepth());
        c.put("decoder_heads", config.decoderHeads());
        c.put("mlp_ratio", config.mlpRatio());
        c.put("buffer_size", config.bufferSize());
        c.put("fusion", config.fusion().key());
        c.put("queries", config.queries());
        c.put("qformer_depth", config.qformerDepth());
        c.put("discrete_positions", config.discretePositions().key());
        c.put("mask_ratio_min", config.maskRatioMin());
        c.put("class_dropout", config.classDropout());
        c.put("discrete_dropout", config.discreteDropout());
        c.put("head_width", config.headWidth());
        c.put("head_depth", config.headDepth());
        c.put("diffusion_batch_mul", config.diffusionBatchMul());
        c.put("noise_schedule", config.noiseSchedule().key());
        c.put("sampling_steps", config.samplingSteps());
        c.put("learn_sigma", config.learnSigma());
        return c;
    }

    /** The model a case describes (what both sides build). */
    public static HybridConfig config(JsonNode c) {
        return HybridConfig.builder().setGrid(c.get("grid").asInt()).setTokenChannels(c.get("token_channels").asInt())
                .setNumClasses(c.get("num_classes").asInt()).setVocabSize(c.get("vocab_size").asInt())
                .setFusion(FusionKind.of(c.get("fusion").asText()))
                .optEncoderWidth(c.get("encoder_width").asInt()).optEncoderDepth(c.get("encoder_depth").asInt())
                .optEncoderHeads(c.get("encoder_heads").asInt()).optDecoderWidth(c.get("decoder_width").asInt())
                .optDecoderDepth(c.get("decoder_depth").asInt()).optDecoderHeads(c.get("decoder_heads").asInt())
                .optMlpRatio(c.get("mlp_ratio").asDouble()).optBufferSize(c.get("buffer_size").asInt())
                .optQueries(c.get("queries").asInt()).optQformerDepth(c.get("qformer_depth").asInt())
                .optDiscreteWidth(c.get("discrete_width").asInt())
                .optDiscretePositions(DiscretePositions.of(c.get("discrete_positions").asText()))
                .optMaskRatioMin(c.get("mask_ratio_min").asDouble()).optClassDropout(c.get("class_dropout").asDouble())
                .optDiscreteDropout(c.get("discrete_dropout").asDouble()).optAttentionDropout(0).optProjectionDropout(0)
                .optHeadWidth(c.get("head_width").asInt()).optHeadDepth(c.get("head_depth").asInt())
                .optDiffusionBatchMul(c.get("diffusion_batch_mul").asInt())
                .optNoiseSchedule(NoiseScheduleKind.of(c.get("noise_schedule").asText()))
                .optSamplingSteps(c.get("sampling_steps").asInt()).optLearnSigma(c.get("learn_sigma").asBoolean())
                .build();
    }

    /** The sampling settings a {@link #SAMPLE} case describes. */
    static HybridSamplingSettings sampling(JsonNode c) {
        return new HybridSamplingSettings(c.get("ar_steps").asInt(), c.get("guidance_scale").asDouble(),
                GuidanceSchedule.of(c.get("guidance_schedule").asText()), c.get("temperature").asDouble(),
                c.get("x0_clip").asDouble());
    }

    /**
     * Tokens masked at training steps 0 .. steps-1 of a run with this seed: the draw {@link HybridModel}'s loss makes
     * from {@code StepRandom(seed, step)}, so the DJL loop's step k masks entry k.
     */
    public static int[] maskedCounts(JsonNode c, int steps) {
        MaskRatioSampler ratios = new MaskRatioSampler(c.get("mask_ratio_min").asDouble());
        int[] counts = new int[steps];
        for (int k = 0; k < steps; k++) {
            double ratio = ratios.draw(new StepRandom(c.get("seed").asLong(), k).generator("stage2/mask-ratio"));
            counts[k] = MaskRatioSampler.maskedCount(c.get("tokens").asInt(), ratio);
        }
        return counts;
    }

    /** The diffusion head's rows at each AR step of a {@link #SAMPLE} case: both guidance halves where guided. */
    public static int[] headRows(JsonNode c) {
        HybridSamplingSettings s = sampling(c);
        int n = c.get("tokens").asInt();
        int[] predicted = MaskSchedule.predictedPerStep(n, s.steps());
        int[] after = MaskSchedule.maskedAfter(n, s.steps());
        int[] rows = new int[predicted.length];
        for (int i = 0; i < rows.length; i++) {
            boolean guided = s.guidanceScale() != 1.0 && s.scaleAt(n, after[i]) != 1.0;
            rows[i] = (guided ? 2 : 1) * c.get("images").asInt() * predicted[i];
        }
        return rows;
    }

    /** The case's masked counts for {@code steps} steps, written into it for the PyTorch side. */
    static void putMaskedCounts(ObjectNode c, int steps) {
        ArrayNode counts = c.putArray("masked_counts");
        Arrays.stream(maskedCounts(c, steps)).forEach(counts::add);
    }

    /**
     * Milliseconds of each training step of one {@link TrainingLoop} run of {@code steps} steps, from one step's end
     * to the next (the first step, which also initializes the model, is not timed: entry 0 is NaN).
     *
     * @param parameters receives the model's parameter count
     */
    static double[] trainSteps(ObjectNode c, int steps, long[] parameters) {
        HybridConfig config = config(c);
        HybridModel model = new HybridModel(config);
        int images = c.get("batch").asInt();
        TrainConfig train = TrainConfig.builder().setSteps(steps).setBatchSize(images).setLr(c.get("lr").asDouble())
                .setSeed(c.get("seed").asLong()).optWeightDecay(c.get("weight_decay").asDouble())
                .optBetas(c.get("beta1").asDouble(), c.get("beta2").asDouble()).optEps(c.get("eps").asDouble())
                .optClipNorm(c.get("clip_norm").asDouble()).optEmaDecay(c.get("ema_decay").asDouble()).build();
        int[] expected = maskedCounts(c, steps);
        double[] ms = new double[steps];
        long[] last = {0};
        List<String> wrong = new ArrayList<>();
        TrainingListener timer = new TrainingListener() {
            @Override
            public void onStep(StepReport r) {
                long now = System.nanoTime();
                int k = (int) r.step();
                ms[k] = k == 0 ? Double.NaN : (now - last[0]) / 1e6;
                last[0] = now;
                // the metric is the ratio as a float: N x ratio must round up to the expected count
                double masked = config.tokens() * r.metrics().get("mask_ratio");
                if (!(masked > expected[k] - 1 + 1e-4 && masked <= expected[k] + 1e-4)) {
                    wrong.add("step " + k + " masked " + masked + " of " + config.tokens() + ", expected "
                            + expected[k]);
                }
            }
        };
        boolean freeze = c.get("freeze_discrete_embedding").asBoolean() && config.fusion().usesDiscreteTokens();
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(randomTokens(config, 2 * images))
                .setConfig(train).optListener(timer)
                .optAfterInitialize(block -> {
                    if (freeze) {
                        model.discreteEmbedding().freeze();
                    }
                }).build()) {
            loop.run();
            parameters[0] = model.parameterCount(); // while the loop's manager holds the parameters
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!wrong.isEmpty()) {
            throw new IllegalStateException(c.get("id").asText() + ": the DJL loop's masks are not the case's: " + wrong);
        }
        return ms;
    }

    /** A stage-two sampler over a case's model on {@code manager}: each call samples one batch with a new seed. */
    static final class Sampling {

        private final HybridModel model;
        private final NDManager manager;
        private final int[] labels;
        private final int[][] ids;
        private final HybridSamplingSettings settings;
        private long calls;

        Sampling(ObjectNode c, NDManager manager) {
            this.model = new HybridModel(config(c));
            this.manager = manager;
            model.initialize(manager, DataType.FLOAT32, model.initShapes());
            int images = c.get("images").asInt();
            int n = c.get("tokens").asInt();
            SplittableRandom r = new SplittableRandom(1);
            this.labels = new int[images];
            this.ids = new int[images][n];
            for (int i = 0; i < images; i++) {
                labels[i] = i % c.get("num_classes").asInt();
                for (int p = 0; p < n; p++) {
                    ids[i][p] = r.nextInt(c.get("vocab_size").asInt());
                }
            }
            this.settings = sampling(c);
        }

        long parameters() {
            return model.parameterCount();
        }

        void run() {
            try (NDManager scope = manager.newSubManager()) {
                new HybridSampler(model).sample(scope, labels, ids, settings, calls++, 0, null);
            }
        }
    }

    /** Random posterior moments, ids and labels for {@code images} images in both flips (time does not depend on them). */
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
