package lab.d2c.workflows.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import lab.d2c.config.ConfigEnum;
import lab.d2c.config.diffusion.NoiseScheduleKind;
import lab.d2c.config.rdpm.RdpmScheduleKind;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.GuidanceSchedule;
import lab.d2c.config.stage2.Stage2Condition;
import lab.d2c.config.tokenizer.KlLossReduction;

/**
 * The closed set of config keys an experiment understands. A config is a nested mapping whose
 * leaves are exactly these keys; a dotted path's leading segments ({@code data}) are
 * <em>sections</em>.
 */
public final class ConfigSchema {

    /** The run seed's key. It is set from a sweep's {@code seeds}, never by config or parameters. */
    public static final String RUN_SEED = "seed";

    /** The key that limits an arm's graph to some node kinds and their inputs (like dvc repro's targets). */
    public static final String TARGETS = "targets";

    /** The fusion kinds of paper section 4.3 (model-config's FusionKind). */
    public static final List<String> FUSION_KINDS = ConfigEnum.keys(FusionKind.class);

    /** What stage two's discrete condition is while it trains (model-config's Stage2Condition). */
    public static final List<String> CONDITIONS = ConfigEnum.keys(Stage2Condition.class);

    /** How the KL-VAE's loss balances its KL term (model-config's KlLossReduction). */
    public static final List<String> LOSS_REDUCTIONS = ConfigEnum.keys(KlLossReduction.class);

    /** The settings of stage2.discrete_positions (model-config's DiscretePositions); learned is the default. */
    public static final List<String> DISCRETE_POSITIONS = ConfigEnum.keys(DiscretePositions.class);

    /** The diffusion head's noise schedules, MAR's (model-config's NoiseScheduleKind). */
    public static final List<String> NOISE_SCHEDULES = ConfigEnum.keys(NoiseScheduleKind.class);

    /** How stage two's guidance scale evolves while sampling (model-config's GuidanceSchedule). */
    public static final List<String> GUIDANCE_SCHEDULES = ConfigEnum.keys(GuidanceSchedule.class);

    /** RDPM's tokenizer schedules of alpha_t (model-config's RdpmScheduleKind; arXiv:2412.18390 Table 4). */
    public static final List<String> RDPM_SCHEDULES = ConfigEnum.keys(RdpmScheduleKind.class);

    /** RDPM's tokenizer section: model keys under it, its training under {@code rdpm.tokenizer.train}. */
    public static final String RDPM_TOKENIZER = "rdpm.tokenizer";

    /** RDPM's recurrent token predictor: model keys under it, its training under {@code rdpm.predictor.train}. */
    public static final String RDPM_PREDICTOR = "rdpm.predictor";

    /** How sample-rdpm generates (arXiv:2412.18390 section 3.2, Table 3). */
    public static final String RDPM_SAMPLE = "rdpm.sample";

    /** The key that chooses an arm's generator family, and its values. */
    public static final String GENERATOR = "generator";

    /** D2C's graph (with fusion none it is MAR, with eval.images decode-stage1 the discrete-only baseline). */
    public static final String GENERATOR_D2C = "d2c";

    /** RDPM's graph: its tokenizer, the recurrent token predictor and its sampler. */
    public static final String GENERATOR_RDPM = "rdpm";

    /** The feature extractors of the metrics. */
    public static final List<String> EXTRACTORS = List.of("classifier", "inception");

    /** Add a field here (one line) to make a new config key known everywhere. */
    private static final ConfigSchema STANDARD = new ConfigSchema(concat(List.of(
            ConfigField.nonNegativeInteger(RUN_SEED, "the run seed; set from the sweep's seeds list"),
            ConfigField.string(TARGETS, "comma-separated node kinds to run (with what they need); "
                    + "null = every node the config defines").orNull(),
            ConfigField.enumeration("data.dataset", List.of("shapes", "fashion-mnist"), "which dataset to prepare"),
            ConfigField.absolutePath("data.path", "folder of the Fashion-MNIST IDX .gz files on the worker, "
                    + "inside its file roots (D2C_FILE_ROOTS); null = /usr/share/datasets/fashion-mnist").orNull(),
            ConfigField.integer("data.image_size", 8, 1024, "side of the square images, in pixels"),
            ConfigField.integerOneOf("data.channels", List.of(1L, 3L), "colour channels: 1 (grey) or 3 (RGB)"),
            ConfigField.integer("data.num_classes", 1, 1000, "classes of shapes (fashion-mnist has 10)"),
            ConfigField.integer("data.train_size", 0, 10_000_000, "training images; 0 = all available"),
            ConfigField.integer("data.test_size", 0, 10_000_000, "test images; 0 = all available"),
            ConfigField.nonNegativeInteger("data.seed", "generation seed of shapes; subset seed otherwise"),
            ConfigField.integer("data.shard_size", 1, 1_000_000, "images per shard"),
            ConfigField.enumeration(GENERATOR, List.of(GENERATOR_D2C, GENERATOR_RDPM),
                    "the arm's generator family: d2c (D2C; MAR with stage2.fusion none; the discrete-only baseline "
                            + "with eval.images decode-stage1) or rdpm (arXiv:2412.18390); both share the dataset, "
                            + "classifier and reference statistics")),
            vqFields(), tokenizerTrainingFields("vq"), vaeFields(), tokenizerTrainingFields("vae"), pretokenizeFields(),
            stage1Fields(), generatorTrainingFields("stage1"), stage1SampleFields(), stage2Fields(),
            generatorTrainingFields("stage2"),
            stage2SampleFields(), classifierFields(), tokenizerTrainingFields("classifier"), evalFields(),
            rdpmTokenizerFields(), tokenizerTrainingFields(RDPM_TOKENIZER), adamBetaFields(RDPM_TOKENIZER),
            rdpmPretokenizeFields(), rdpmPredictorFields(), generatorTrainingFields(RDPM_PREDICTOR),
            adamBetaFields(RDPM_PREDICTOR), rdpmSampleFields()));

    private final Map<String, ConfigField> fields;

    /** The VQ tokenizer (paper section 5.1; LlamaGen's VQ model). */
    private static List<ConfigField> vqFields() {
        return autoencoderFields("vq", "the VQ tokenizer", List.of(
                ConfigField.integer("vq.z_channels", 1, 4096, "encoder output width before the quant conv"),
                ConfigField.integer("vq.codebook_size", 2, 1 << 20, "codes in the codebook"),
                ConfigField.integer("vq.code_dim", 1, 1024, "dimension of a code (l2-normalized)"),
                ConfigField.number("vq.commitment_beta", 0, 10, "weight of the commitment loss (0.25)"),
                ConfigField.integer("vq.usage_window", 1, 100_000_000, "code assignments kept to measure usage"),
                ConfigField.integer("vq.dead_code_min_count", 1, 1_000_000, "a code used less often than this is dead"),
                ConfigField.nonNegativeInteger("vq.reinit_interval", "steps between dead-code re-inits; 0 = never")));
    }

    /** The KL-VAE tokenizer (paper section 5.1; LDM's KL autoencoder). */
    private static List<ConfigField> vaeFields() {
        return autoencoderFields("vae", "the KL-VAE", List.of(
                ConfigField.integer("vae.latent_channels", 1, 1024, "channels of a continuous latent"),
                ConfigField.number("vae.kl_weight", 0, 1, "weight of the KL term (LDM: 1e-6)"),
                ConfigField.enumeration("vae.loss_reduction", LOSS_REDUCTIONS,
                        "ldm: kl_weight weighs the per-image KL against the per-image summed pixel error, as in"
                                + " LDM (trained on the per-pixel scale: that loss / pixels); mean: against the"
                                + " per-pixel mean error, i.e. pixels times LDM's weight (the loss before issue 21)"),
                ConfigField.integer("vae.scale_images", 1, 10_000_000,
                        "training images used to estimate the latent scale")));
    }

    /**
     * RDPM's diffusion-based tokenizer (arXiv:2412.18390 section 3.1, Algorithm 1; model-config's
     * RdpmTokenizerConfig, whose rules the ranges follow). Planned in arms whose generator is rdpm.
     */
    private static List<ConfigField> rdpmTokenizerFields() {
        String p = RDPM_TOKENIZER + ".";
        return autoencoderFields(RDPM_TOKENIZER, "RDPM's tokenizer", List.of(
                ConfigField.integer(p + "z_channels", 1, 4096, "encoder output width before the quant conv"),
                ConfigField.integer(p + "code_dim", 1, 1024, "latent channels = code dimension d (paper: 32)"),
                ConfigField.integer(p + "codebook_size", 2, 1 << 20, "codes K of the one codebook all steps share"),
                ConfigField.integer(p + "steps", 1, 1000, "quantization steps T (Table 2; paper: 10)"),
                ConfigField.enumeration(p + "schedule", RDPM_SCHEDULES, "how alpha_t rises to 1 (Table 4; paper: pow)"),
                ConfigField.number(p + "phi", 1e-6, 1 - 1e-6,
                        "pow schedule's base in (0, 1): alpha_t = phi^(T - t) (Figure 5: 0.75)"),
                ConfigField.bool(p + "gamma_weighting",
                        "Eq. 4's gamma_t = alpha_t on each step's quantization loss (Table 2 'weight'); false = 1"),
                ConfigField.bool(p + "bias_conv", "timestep-shared conv adding a bias to each quantized vector "
                        + "(Table 2 'bias')"),
                ConfigField.number(p + "commitment_beta", 0, 10, "weight of the commitment term (Eq. 5: 0.25)")));
    }

    /** How pretokenize-rdpm quantizes the training images (its batching is the {@code pretokenize} section's). */
    private static List<ConfigField> rdpmPretokenizeFields() {
        return List.of(ConfigField.nonNegativeInteger("rdpm.pretokenize.noise_seed", "seed of the noise eps_1..eps_T "
                + "each training image (and flip) is quantized with (Algorithm 1); train-rdpm regenerates the same "
                + "noise as the predictor's input (section 3.2)"));
    }

    /**
     * RDPM's recurrent token predictor (arXiv:2412.18390 section 3.2; model-config's RdpmPredictorConfig). Its
     * vocabulary, code dimension, grid and T are the tokenizer's, its classes the dataset's.
     */
    private static List<ConfigField> rdpmPredictorFields() {
        String p = RDPM_PREDICTOR + ".";
        return List.of(
                ConfigField.nonNegativeInteger(p + "seed", "seed of the predictor's init, data order and draws"),
                ConfigField.integer(p + "width", 4, 8192, "transformer width (section 4.2: depth x 64)"),
                ConfigField.integer(p + "depth", 1, 256, "transformer blocks (paper: 12 to 36)"),
                ConfigField.integer(p + "heads", 1, 256, "attention heads; must divide width (paper: = depth)"),
                ConfigField.integer(p + "ffn_multiple_of", 1, 4096, "SwiGLU hidden width rounded up to this"),
                ConfigField.number(p + "norm_eps", 1e-12, 1e-2, "RMSNorm epsilon (1e-5)"),
                ConfigField.number(p + "class_dropout", 0, 0.99,
                        "probability a training label becomes the null class (section 4.2: 0.1)"));
    }

    /** How sample-rdpm generates (section 3.2, Eq. 8, Table 3); its seed is the run seed. */
    private static List<ConfigField> rdpmSampleFields() {
        String p = RDPM_SAMPLE + ".";
        return List.of(
                ConfigField.integer(p + "count", 1, 1_000_000, "images generated"),
                ConfigField.integer(p + "batch_size", 1, 65_536, "images generated at once"),
                ConfigField.number(p + "guidance_scale", 0, 100,
                        "lambda of v = cond + (cond - uncond) x lambda; 0 = no guidance (RDPM's form, not 1)"),
                ConfigField.enumeration(p + "guidance_schedule", GUIDANCE_SCHEDULES,
                        "constant lambda, or linear lambda t / T over the T steps (Table 3 'CFG linear')"),
                ConfigField.bool(p + "gumbel", "Eq. 8's Gumbel noise before the argmax (Table 3 '+ Gumbel')"),
                ConfigField.number(p + "temperature", 1e-3, 1e6,
                        "tau of Eq. 8, argmax(v x tau - log(-log u)): large tau approaches the argmax"));
    }

    /**
     * What the autoencoders (VQ, KL-VAE, RDPM's) have, around their own keys: seed and conv widths first,
     * the switches of the losses this build cannot provide last. The VQ and the KL-VAE must give the same
     * stride (ArmRules).
     */
    private static List<ConfigField> autoencoderFields(String section, String what, List<ConfigField> own) {
        String p = section + ".";
        return concat(List.of(
                ConfigField.nonNegativeInteger(p + "seed", "seed of " + what + "'s init, data order and draws"),
                ConfigField.integer(p + "base_width", 1, 1024, "encoder/decoder base width (LlamaGen/LDM ch)"),
                ConfigField.string(p + "width_multipliers",
                        "comma-separated width multipliers per level, e.g. '1,2,4'; stride = 2^(levels-1)"),
                ConfigField.integer(p + "res_blocks", 1, 8, "residual blocks per level")),
                own,
                List.of(ConfigField.off(p + "perceptual_loss",
                                "LPIPS loss; needs a pretrained VGG16, unavailable: must be false"),
                        ConfigField.off(p + "adversarial_loss",
                                "GAN loss; needs pretrained networks, unavailable: must be false")));
    }

    /**
     * Adam's betas under {@code <section>.train}, for the trainers whose paper states them (RDPM section 4.2: the
     * tokenizer (0.5, 0.9), the predictor (0.9, 0.95)). The other trainers keep the loop's (0.9, 0.95) without
     * a key, so their node keys do not change.
     */
    private static List<ConfigField> adamBetaFields(String section) {
        String p = section + ".train.";
        return List.of(
                ConfigField.number(p + "adam_beta1", 0, 0.999999, "Adam's first-moment decay beta1"),
                ConfigField.number(p + "adam_beta2", 0, 0.999999, "Adam's second-moment decay beta2"));
    }

    /** The training loop's settings for one trainer, under {@code <section>.train}. */
    private static List<ConfigField> trainingFields(String section) {
        String p = section + ".train.";
        return List.of(
                ConfigField.integer(p + "steps", 1, 100_000_000, "optimizer steps"),
                ConfigField.integer(p + "batch_size", 1, 65_536, "images per step"),
                ConfigField.number(p + "lr", 1e-8, 1, "learning rate after warmup"),
                ConfigField.nonNegativeInteger(p + "warmup_steps", "linear warmup steps"),
                ConfigField.enumeration(p + "lr_schedule", List.of("constant", "cosine"),
                        "after warmup: constant (MAR, LlamaGen) or cosine decay to 0 at the last step"),
                ConfigField.number(p + "weight_decay", 0, 10, "decoupled weight decay (not on biases and norms)"),
                ConfigField.number(p + "clip_norm", 0, 1e6, "global gradient-norm limit; 0 = none"),
                ConfigField.number(p + "ema_decay", 0, 0.999999, "EMA decay of the weights; 0 = none"),
                ConfigField.integer(p + "checkpoint_every", 1, 100_000_000, "steps between checkpoints"),
                ConfigField.integer(p + "log_every", 1, 1_000_000, "steps between metric rows"));
    }

    /**
     * A generator's training settings: the loop's, and its held-out set (issue 24: the convergence
     * criterion is judged on the held-out loss; docs/evaluation.md).
     */
    private static List<ConfigField> generatorTrainingFields(String section) {
        String p = section + ".train.";
        return concat(trainingFields(section), List.of(
                ConfigField.number(p + "holdout", 0, 0.5,
                        "fraction of the training images (both flips) held out of the batches to measure val/loss on; 0 = none"),
                ConfigField.integer(p + "eval_every", 1, 100_000_000,
                        "steps between held-out loss evaluations (val/loss), and at the last step"),
                ConfigField.bool(p + "until_converged",
                        "stop at the first evaluation where the convergence criterion holds at it and the one before;"
                                + " steps is then a cap (false: train the fixed budget)")));
    }

    /** A tokenizer's training settings: the loop's, and how many test images its final figures use. */
    private static List<ConfigField> tokenizerTrainingFields(String section) {
        return concat(trainingFields(section), List.of(ConfigField.integer(section + ".train.eval_images", 1,
                10_000_000, "test images the final figures use")));
    }

    /** The stage-one discrete AR model (paper section 4.1; LlamaGen's GPT). */
    private static List<ConfigField> stage1Fields() {
        return List.of(
                ConfigField.nonNegativeInteger("stage1.seed", "seed of stage one's init, data order and dropout"),
                ConfigField.integer("stage1.width", 4, 8192, "model width (LlamaGen dim; GPT-B 768)"),
                ConfigField.integer("stage1.depth", 1, 256, "transformer blocks (GPT-B 12)"),
                ConfigField.integer("stage1.heads", 1, 256,
                        "attention heads; width / heads must be a multiple of 4 (2D RoPE)"),
                ConfigField.integer("stage1.class_tokens", 1, 256, "class-embedding tokens before the image tokens"),
                ConfigField.integer("stage1.ffn_multiple_of", 1, 4096, "SwiGLU hidden width rounded up to this"),
                ConfigField.number("stage1.norm_eps", 1e-12, 1e-2, "RMSNorm epsilon (1e-5)"),
                ConfigField.number("stage1.rope_base", 2, 1e9, "RoPE base (10000)"),
                ConfigField.number("stage1.token_dropout", 0, 0.99, "dropout on the input embeddings"),
                ConfigField.number("stage1.resid_dropout", 0, 0.99, "dropout on the attention output"),
                ConfigField.number("stage1.ffn_dropout", 0, 0.99, "dropout on the feed-forward output"),
                ConfigField.number("stage1.class_dropout", 0, 0.99,
                        "probability a training label becomes the null class (guidance)"));
    }

    /** How decode-stage1 samples stage one (LlamaGen's sample arguments); its seed is the run seed. */
    private static List<ConfigField> stage1SampleFields() {
        String p = "stage1.sample.";
        return List.of(
                ConfigField.integer(p + "count", 1, 1_000_000, "token sequences sampled and decoded"),
                ConfigField.integer(p + "batch_size", 1, 65_536, "sequences sampled at once"),
                ConfigField.number(p + "temperature", 1e-3, 100, "logits are divided by this (paper: 0.99)"),
                ConfigField.integer(p + "top_k", 0, 1 << 24, "keep the k most likely tokens; 0 = all"),
                ConfigField.number(p + "top_p", 1e-6, 1, "nucleus: keep the most likely tokens up to this mass; 1 = all"),
                ConfigField.number(p + "guidance_scale", 0, 100, "classifier-free guidance scale; 1 = none"),
                ConfigField.nonNegativeInteger(p + "guidance_tokens", "guide only the first this-many tokens; 0 = all"));
    }

    /** The stage-two hybrid model (paper sections 4.2, 4.3, 5.1; MAR's MAE and diffusion loss). */
    private static List<ConfigField> stage2Fields() {
        String p = "stage2.";
        return List.of(
                ConfigField.nonNegativeInteger(p + "seed", "seed of stage two's init, data order, masks and dropout"),
                ConfigField.enumeration(p + "fusion", FUSION_KINDS,
                        "how the discrete tokens enter: none is the MAR baseline"),
                ConfigField.integer(p + "queries", 1, 4096, "Q-Former queries L (they take L buffer slots)"),
                ConfigField.integer(p + "qformer_depth", 1, 64, "Q-Former blocks in its encoder and in its decoder"),
                ConfigField.enumeration(p + "discrete_positions", DISCRETE_POSITIONS,
                        "learned: a learned position embedding on the discrete features that cross-attention and "
                                + "the Q-Former read (they are order-blind without it); none: Eq. 4 as written"),
                ConfigField.integer(p + "encoder_width", 4, 8192, "MAE encoder width (MAR-B 768)"),
                ConfigField.integer(p + "encoder_depth", 1, 256, "MAE encoder blocks"),
                ConfigField.integer(p + "encoder_heads", 1, 256, "MAE encoder heads; must divide encoder_width"),
                ConfigField.integer(p + "decoder_width", 4, 8192, "MAE decoder width"),
                ConfigField.integer(p + "decoder_depth", 1, 256, "MAE decoder blocks"),
                ConfigField.integer(p + "decoder_heads", 1, 256, "MAE decoder heads; must divide decoder_width"),
                ConfigField.number(p + "mlp_ratio", 0.25, 16, "feed-forward width over block width (4)"),
                ConfigField.integer(p + "buffer_size", 1, 4096, "class-token slots before the sequence (64)"),
                ConfigField.bool(p + "init_discrete_from_stage1",
                        "start the discrete embedding from stage one's table (section 5.1)"),
                ConfigField.bool(p + "freeze_discrete_embedding", "keep the discrete embedding fixed while training"),
                ConfigField.enumeration(p + "condition", CONDITIONS, "the discrete tokens stage two trains on: stage one's"
                        + " teacher-forced predictions (section 4.2) or the image's own codes (DisCon's setting)"),
                ConfigField.number(p + "condition_temperature", 0, 10,
                        "stage one's predictions: 0 = its most likely token, > 0 = a draw at this temperature"),
                ConfigField.number(p + "mask_ratio_min", 0.01, 0.99, "lower bound of the training mask ratio (0.7)"),
                ConfigField.number(p + "class_dropout", 0, 0.99, "class to the fake class, for guidance (0.1)"),
                ConfigField.number(p + "discrete_dropout", 0, 0.99, "discrete tokens to the fake tokens (0.1)"),
                ConfigField.number(p + "attention_dropout", 0, 0.99, "dropout on attention weights"),
                ConfigField.number(p + "projection_dropout", 0, 0.99, "dropout after projections"),
                ConfigField.integer(p + "head_width", 1, 8192, "diffusion head width (MAR-B 1024)"),
                ConfigField.integer(p + "head_depth", 1, 64, "diffusion head residual blocks (MAR-B 6)"),
                ConfigField.integer(p + "diffusion_batch_mul", 1, 64, "(t, eps) draws per token per step (4)"),
                ConfigField.enumeration(p + "noise_schedule", NOISE_SCHEDULES,
                        "the head's schedule, MAR's linear or cosine (RDPM's sin and pow are its tokenizer's)"),
                ConfigField.integer(p + "sampling_steps", 1, 1000, "diffusion steps when sampling (100)"),
                ConfigField.bool(p + "learn_sigma", "the head learns its variance (MAR: true); false = noise only, "
                        + "fixed small variance"));
    }

    /** How the sample node generates: stage one's tokens (stage1.sample), then stage two's. */
    private static List<ConfigField> stage2SampleFields() {
        String p = "stage2.sample.";
        return List.of(
                ConfigField.integer(p + "count", 1, 1_000_000, "images generated"),
                ConfigField.integer(p + "batch_size", 1, 65_536, "images generated at once"),
                ConfigField.integer(p + "steps", 1, 4096, "generation (AR) steps over the tokens (paper 64)"),
                ConfigField.number(p + "guidance_scale", 1, 100, "guidance on the head's noise; 1 = none (4.0)"),
                ConfigField.enumeration(p + "guidance_schedule", GUIDANCE_SCHEDULES,
                        "guidance grows with the revealed share (linear) or stays"),
                ConfigField.number(p + "temperature", 1e-3, 100, "temperature of the diffusion sampler's noise"),
                ConfigField.number(p + "x0_clip", 0, 1e6, "clip of the predicted x_0 while denoising; 0 = none"));
    }

    /** The dataset classifier whose features define the metrics when there is no Inception (docs/design.md, "Evaluation"). */
    private static List<ConfigField> classifierFields() {
        String p = "classifier.";
        return List.of(
                ConfigField.nonNegativeInteger(p + "seed", "seed of the classifier's init and data order"),
                ConfigField.integer(p + "base_width", 1, 1024, "first convolutional width"),
                ConfigField.string(p + "width_multipliers", "comma-separated width multipliers per level, e.g. '1,2,4'"),
                ConfigField.integer(p + "convs_per_level", 1, 8,
                        "3x3 convolutions per level; every level ends in 2x2 max pooling"),
                ConfigField.integer(p + "feature_dim", 2, 8192, "penultimate width: the metrics' feature dimension"));
    }

    /** How samples are scored: reference-stats and evaluate (paper section 5; FID, IS, precision, recall). */
    private static List<ConfigField> evalFields() {
        String p = "eval.";
        return List.of(
                ConfigField.enumeration(p + "extractor", EXTRACTORS,
                        "classifier = the dataset classifier (fid-<dataset>-cls); inception = a TorchScript Inception"),
                ConfigField.absolutePath(p + "inception_file", "path of the Inception TorchScript file on the worker, "
                        + "inside its file roots (D2C_FILE_ROOTS)").orNull(),
                ConfigField.objectKey(p + "inception_key", "object key of the Inception TorchScript file in the "
                        + "artifact bucket").orNull(),
                ConfigField.enumeration(p + "inception_input_range", List.of("-1..1", "0..255"),
                        "pixel range the TorchScript Inception expects"),
                ConfigField.enumeration(p + "reference_split", List.of("train", "test"),
                        "dataset split the reference statistics are computed on"),
                ConfigField.integer(p + "reference_images", 0, 10_000_000, "reference images; 0 = the whole split"),
                ConfigField.enumeration(p + "images", List.of("sample", "decode-stage1"),
                        "which images to score: the generator's samples (sample for d2c, sample-rdpm for rdpm) "
                                + "or, with generator d2c, the discrete-only baseline (decode-stage1)"),
                ConfigField.integer(p + "is_splits", 1, 100, "Inception Score splits (10 in the literature)"),
                ConfigField.integer(p + "pr_k", 1, 100, "neighbours of the precision/recall manifolds (3)"),
                ConfigField.integer(p + "bootstrap", 0, 100_000, "bootstrap replicates of FID over the scored "
                        + "images (its sampling error: fid_std_boot, fid_ci_low/high, and the replicates for the "
                        + "report's pairwise differences); 0 = off"),
                ConfigField.integer(p + "batch_size", 1, 65_536, "images through the extractor at once"));
    }

    private static List<ConfigField> pretokenizeFields() {
        return List.of(
                ConfigField.integer("pretokenize.batch_size", 1, 65_536, "images encoded at once"),
                ConfigField.integer("pretokenize.shard_size", 1, 10_000_000, "images per token shard"));
    }

    @SafeVarargs
    private static List<ConfigField> concat(List<ConfigField>... parts) {
        List<ConfigField> all = new ArrayList<>();
        for (List<ConfigField> part : parts) {
            all.addAll(part);
        }
        return all;
    }

    /**
     * @param fields the known keys, in the order configs are written out
     * @throws IllegalArgumentException on a duplicate path, or a path that is also a section of another
     */
    public ConfigSchema(List<ConfigField> fields) {
        Map<String, ConfigField> byPath = new LinkedHashMap<>();
        for (ConfigField f : fields) {
            if (byPath.put(f.path(), f) != null) {
                throw new IllegalArgumentException("duplicate config key " + f.path());
            }
            if (f.path().isEmpty() || f.path().startsWith(".") || f.path().endsWith(".") || f.path().contains("..")) {
                throw new IllegalArgumentException("malformed config key '" + f.path() + "'");
            }
        }
        for (String path : byPath.keySet()) {
            if (byPath.keySet().stream().anyMatch(other -> other.startsWith(path + "."))) {
                throw new IllegalArgumentException("config key " + path + " is also a section of other keys");
            }
        }
        this.fields = Collections.unmodifiableMap(byPath);
    }

    /** The schema of this version of the platform. */
    public static ConfigSchema standard() {
        return STANDARD;
    }

    /** Every field, in schema order. */
    public List<ConfigField> fields() {
        return List.copyOf(fields.values());
    }

    /** Every key's dotted path, in schema order. */
    public List<String> paths() {
        return List.copyOf(fields.keySet());
    }

    public Optional<ConfigField> field(String path) {
        return Optional.ofNullable(fields.get(path));
    }

    /** Whether {@code path} is a section, that is, the dotted prefix of some keys (e.g. {@code data}). */
    public boolean isSection(String path) {
        String prefix = path + ".";
        return fields.keySet().stream().anyMatch(p -> p.startsWith(prefix));
    }

    /** The keys under a section, e.g. {@code data} gives {@code data.dataset, data.path, ...}. */
    public List<String> keysUnder(String section) {
        String prefix = section + ".";
        return fields.keySet().stream().filter(p -> p.startsWith(prefix)).toList();
    }

    /** "unknown key", with a did-you-mean among the known keys not in {@code excluded}. */
    String unknownKeyReason(String key, Collection<String> excluded) {
        List<String> candidates = new ArrayList<>(fields.keySet());
        candidates.removeAll(excluded);
        return Suggestions.withSuggestion("unknown key", key, candidates);
    }
}
