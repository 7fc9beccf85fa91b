package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import lab.d2c.config.ConfigException;
import lab.d2c.config.ConfigViolation;
import lab.d2c.config.rdpm.RdpmPredictorConfig;
import lab.d2c.config.rdpm.RdpmSamplingSettings;
import lab.d2c.config.rdpm.RdpmTokenizerConfig;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.config.stage1.SamplingSettings;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.config.stage2.HybridSamplingSettings;
import lab.d2c.config.tokenizer.KlVaeConfig;
import lab.d2c.config.tokenizer.VqConfig;

/**
 * Rules that tie config keys together, checked on every arm at submission so a sweep never
 * launches an arm whose node would refuse its config hours later. Each error names the key
 * (under {@code parameters} when the sweep varies it, else under {@code config}) and the arm.
 *
 * <p>The models' own rules (heads divide widths, the Q-Former's queries fit the buffer, ...) are not
 * repeated here: each arm's config builds model-config's records with the factories the workers call,
 * the sizes the data decides derived from the config as the workers derive them from the data, and
 * every rule a record refuses becomes an error on the key it names. What stays here are the rules across
 * records: both tokenizers' strides match, and that stride divides the image.
 */
final class ArmRules {

    /** Which config key a value the data decides comes from, for the records' rules on it. */
    private static final Map<String, String> DERIVED = Map.ofEntries(
            Map.entry("vq.image_size", "data.image_size"), Map.entry("vae.image_size", "data.image_size"),
            Map.entry("vq.image_channels", "data.channels"), Map.entry("vae.image_channels", "data.channels"),
            Map.entry("rdpm.tokenizer.image_size", "data.image_size"),
            Map.entry("rdpm.tokenizer.image_channels", "data.channels"),
            Map.entry("stage1.vocab_size", "vq.codebook_size"), Map.entry("stage2.vocab_size", "vq.codebook_size"),
            Map.entry("stage1.grid", "data.image_size"), Map.entry("stage2.grid", "data.image_size"),
            Map.entry("stage1.num_classes", "data.num_classes"), Map.entry("stage2.num_classes", "data.num_classes"),
            Map.entry("stage2.token_channels", "vae.latent_channels"),
            Map.entry("rdpm.predictor.vocab_size", "rdpm.tokenizer.codebook_size"),
            Map.entry("rdpm.predictor.code_dim", "rdpm.tokenizer.code_dim"),
            Map.entry("rdpm.predictor.grid", "data.image_size"), Map.entry("rdpm.predictor.steps", "rdpm.tokenizer.steps"),
            Map.entry("rdpm.predictor.num_classes", "data.num_classes"));

    /** Fashion-MNIST's classes (the dataset decides them; data.num_classes is for shapes). */
    private static final int FASHION_MNIST_CLASSES = 10;

    private ArmRules() {
    }

    /** The errors of all arms, one per (key, reason); empty when every arm is consistent. */
    static List<FieldError> check(List<Arm> arms, Map<String, List<JsonNode>> parameters) {
        return check(arms, parameters, List.of());
    }

    /** As above; a key an arms-list entry sets is reported under {@code arms[i]}. */
    static List<FieldError> check(List<Arm> arms, Map<String, List<JsonNode>> parameters,
            List<SweepSpec.Variant> variants) {
        Map<String, FieldError> errors = new LinkedHashMap<>();
        for (Arm arm : arms) {
            for (String[] problem : problems(arm.config())) {
                String key = problem[0];
                String where = parameters.containsKey(key) ? "parameters." : "config.";
                JsonNode entry = arm.params().get(SweepSpec.ARM_PARAM);
                for (int i = 0; entry != null && i < variants.size(); i++) {
                    if (variants.get(i).name().equals(entry.asText()) && variants.get(i).overrides().containsKey(key)) {
                        where = "arms[" + i + "].";
                    }
                }
                errors.putIfAbsent(key + problem[1], new FieldError(where + key, problem[1] + " (arm " + arm.name() + ")"));
            }
        }
        return new ArrayList<>(errors.values());
    }

    private static List<String[]> problems(ObjectNode config) {
        List<String[]> out = new ArrayList<>();
        int vqLevels = levels(config.at("/vq/width_multipliers"));
        int vaeLevels = levels(config.at("/vae/width_multipliers"));
        if (vqLevels > 0 && vaeLevels > 0 && vqLevels != vaeLevels) {
            out.add(new String[] {"vae.width_multipliers", "the VQ and KL-VAE tokenizers must have the same stride "
                    + "(paper section 4.2: the token grids align); vq.width_multipliers has " + vqLevels
                    + " levels, vae.width_multipliers " + vaeLevels});
        }
        JsonNode size = config.at("/data/image_size");
        if (vqLevels > 0 && size.canConvertToInt() && size.asInt() % (1 << (vqLevels - 1)) != 0) {
            out.add(new String[] {"data.image_size", "data.image_size " + size.asInt()
                    + " is not a multiple of the tokenizer stride " + (1 << (vqLevels - 1))});
        }
        tokenizers(config, out);
        models(config, vqLevels, out);
        rdpm(config, out);
        if (config.at("/eval/extractor").asText("").equals("inception") && absent(config.at("/eval/inception_file"))
                && absent(config.at("/eval/inception_key"))) {
            out.add(new String[] {"eval.extractor", "eval.extractor is inception but neither eval.inception_file nor "
                    + "eval.inception_key names the TorchScript file (nothing is downloaded)"});
        }
        JsonNode targets = config.get(ConfigSchema.TARGETS);
        if (targets != null && targets.isTextual()) {
            try {
                lab.d2c.workflows.graph.ExperimentGraph.plan(config);
            } catch (IllegalArgumentException e) {
                out.add(new String[] {ConfigSchema.TARGETS, e.getMessage()});
            }
        }
        return out;
    }

    /**
     * Builds the records the tokenizer nodes will build, on the images the data gives them: side =
     * data.image_size, channels = data.channels. A rule on the image that the checks across both
     * tokenizers above already reported (the stride must divide the image) is not reported twice.
     */
    private static void tokenizers(ObjectNode config, List<String[]> out) {
        JsonNode size = config.at("/data/image_size");
        JsonNode channels = config.at("/data/channels");
        if (!size.canConvertToInt() || !channels.canConvertToInt()) {
            return; // the schema reports them
        }
        List<String[]> own = new ArrayList<>();
        record(own, () -> VqConfig.fromConfig(config, size.asInt(), channels.asInt()));
        record(own, () -> KlVaeConfig.fromConfig(config, size.asInt(), channels.asInt()));
        // every arm, as the VQ and VAE records: a bad rdpm.tokenizer value is refused even where no RDPM node runs
        record(own, () -> RdpmTokenizerConfig.fromConfig(config, size.asInt(), channels.asInt()));
        for (String[] problem : own) {
            boolean image = problem[0].startsWith("data.");
            if (!image || out.stream().noneMatch(p -> p[0].equals(problem[0]))) {
                out.add(problem);
            }
        }
    }

    /**
     * Builds the records the stage nodes will build, with the data-decided sizes the workers take from
     * the tokens: grid = data.image_size / the VQ's stride, vocabulary = vq.codebook_size, classes =
     * data.num_classes (10 for fashion-mnist), token channels = vae.latent_channels, and the discrete
     * embedding as wide as stage one when stage two reads discrete tokens, else the encoder width (as
     * train-stage2 sizes it). Skipped when the stride does not divide the image (reported above).
     */
    private static void models(ObjectNode config, int vqLevels, List<String[]> out) {
        JsonNode size = config.at("/data/image_size");
        int stride = vqLevels > 0 ? 1 << (vqLevels - 1) : 0;
        if (stride == 0 || !size.canConvertToInt() || size.asInt() % stride != 0) {
            return;
        }
        int grid = size.asInt() / stride;
        int vocab = config.at("/vq/codebook_size").asInt();
        int classes = config.at("/data/dataset").asText("").equals("fashion-mnist") ? FASHION_MNIST_CLASSES
                : config.at("/data/num_classes").asInt();
        int channels = config.at("/vae/latent_channels").asInt();
        record(out, () -> DiscreteArConfig.fromConfig(config, vocab, grid, classes));
        record(out, () -> SamplingSettings.fromConfig(config));
        record(out, () -> {
            boolean discrete = HybridConfig.fusion(config).usesDiscreteTokens();
            int discreteWidth = config.at(discrete ? "/stage1/width" : "/stage2/encoder_width").asInt();
            return HybridConfig.fromConfig(config, grid, channels, classes, vocab, discreteWidth);
        });
        record(out, () -> HybridSamplingSettings.fromConfig(config));
    }

    /**
     * Builds RDPM's predictor and sampling records as train-rdpm and sample-rdpm will, with the sizes the tokenizer
     * decides (codebook, code dimension, grid = image / its stride, T); every arm, as the tokenizers. An RDPM arm
     * has no stage one, so the discrete-only images do not exist for it.
     */
    private static void rdpm(ObjectNode config, List<String[]> out) {
        if (lab.d2c.workflows.graph.ArmGenerator.rdpm(config)
                && config.at("/eval/images").asText("").equals("decode-stage1")) {
            out.add(new String[] {"eval.images", "eval.images decode-stage1 scores D2C's stage one, which an arm "
                    + "with generator rdpm does not have; use sample (the arm's sample-rdpm images)"});
        }
        JsonNode size = config.at("/data/image_size");
        JsonNode channels = config.at("/data/channels");
        if (!size.canConvertToInt() || !channels.canConvertToInt()) {
            return;
        }
        RdpmTokenizerConfig tokenizer;
        try {
            tokenizer = RdpmTokenizerConfig.fromConfig(config, size.asInt(), channels.asInt());
        } catch (ConfigException e) {
            return; // tokenizers() reported it
        }
        record(out, () -> RdpmPredictorConfig.fromConfig(config, tokenizer.codebookSize(), tokenizer.codeDim(),
                tokenizer.tokenGrid(), tokenizer.steps(), classes(config)));
        record(out, () -> RdpmSamplingSettings.fromConfig(config));
    }

    private static int classes(ObjectNode config) {
        return config.at("/data/dataset").asText("").equals("fashion-mnist") ? FASHION_MNIST_CLASSES
                : config.at("/data/num_classes").asInt();
    }

    /** Builds a record; each rule it breaks is added to {@code out} on the key it names. */
    private static void record(List<String[]> out, Supplier<?> build) {
        try {
            build.get();
        } catch (ConfigException e) {
            for (ConfigViolation v : e.violations()) {
                out.add(new String[] {DERIVED.getOrDefault(v.key(), v.key()), v.message()});
            }
        }
    }

    private static boolean absent(JsonNode node) {
        return node.isNull() || node.isMissingNode();
    }

    private static int levels(JsonNode multipliers) {
        return multipliers.isTextual() ? multipliers.asText().split(",").length : 0;
    }
}
