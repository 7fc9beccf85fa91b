package lab.d2c.workflows.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {

    private static final ConfigSchema SCHEMA = ConfigSchema.standard();

    @Test
    void standardSchemaHasExactlyTheDocumentedKeys() {
        assertThat(SCHEMA.paths()).startsWith("seed", "targets", "data.dataset", "data.path", "data.image_size",
                "data.channels", "data.num_classes", "data.train_size", "data.test_size", "data.seed",
                "data.shard_size");
        assertThat(SCHEMA.keysUnder("vq")).contains("vq.seed", "vq.codebook_size", "vq.code_dim", "vq.commitment_beta",
                "vq.width_multipliers", "vq.train.steps", "vq.train.checkpoint_every");
        assertThat(SCHEMA.keysUnder("vae")).contains("vae.latent_channels", "vae.kl_weight", "vae.train.lr");
        assertThat(SCHEMA.keysUnder("pretokenize")).containsExactly("pretokenize.batch_size", "pretokenize.shard_size");
        assertThat(field("generator").allowed()).containsExactly("d2c", "rdpm");
        // the predictor trains as stage one does, plus the Adam betas RDPM's section 4.2 states
        List<String> stage1Train = new ArrayList<>(SCHEMA.keysUnder("stage1.train").stream().map(k -> k.substring(7))
                .toList());
        stage1Train.addAll(List.of("train.adam_beta1", "train.adam_beta2"));
        assertThat(SCHEMA.keysUnder("rdpm.predictor.train").stream().map(k -> k.substring(15)))
                .containsExactlyElementsOf(stage1Train);
        assertThat(SCHEMA.keysUnder("rdpm.tokenizer.train")).contains("rdpm.tokenizer.train.adam_beta1",
                "rdpm.tokenizer.train.adam_beta2");
        assertThat(SCHEMA.keysUnder("vq.train")).doesNotContain("vq.train.adam_beta1");
        assertThat(SCHEMA.keysUnder("rdpm.sample")).containsExactly("rdpm.sample.count", "rdpm.sample.batch_size",
                "rdpm.sample.guidance_scale", "rdpm.sample.guidance_schedule", "rdpm.sample.gumbel",
                "rdpm.sample.temperature");
        // the two trainers have the same training settings
        assertThat(SCHEMA.keysUnder("vq.train").stream().map(k -> k.substring(3)))
                .containsExactlyElementsOf(SCHEMA.keysUnder("vae.train").stream().map(k -> k.substring(4)).toList());
        assertThat(SCHEMA.fields()).allSatisfy(f -> assertThat(f.description()).isNotBlank());
        assertThat(field("data.dataset").allowed()).containsExactly("shapes", "fashion-mnist");
        assertThat(field("vae.loss_reduction").allowed()).containsExactly("ldm", "mean");
        assertThat(field("data.path").nullable()).isTrue();
        assertThat(SCHEMA.fields().stream().filter(ConfigField::nullable)).extracting(ConfigField::path)
                .containsExactly("targets", "data.path", "eval.inception_file", "eval.inception_key");
        assertThat(SCHEMA.keysUnder("classifier.train").stream().map(k -> k.substring(10)))
                .containsExactlyElementsOf(SCHEMA.keysUnder("vq.train").stream().map(k -> k.substring(2)).toList());
        assertThat(field("eval.extractor").allowed()).containsExactly("classifier", "inception");
        assertThat(SCHEMA.isSection("data")).isTrue();
        assertThat(SCHEMA.isSection("data.image_size")).isFalse();
        assertThat(SCHEMA.isSection("dat")).isFalse();
    }

    @Test
    void ranges() {
        assertValid("data.image_size", IntNode.valueOf(8));
        assertValid("data.image_size", IntNode.valueOf(1024));
        assertInvalid("data.image_size", IntNode.valueOf(7), "out of range: expected an integer in [8, 1024], got 7");
        assertInvalid("data.image_size", IntNode.valueOf(1025), "out of range");
        assertValid("data.channels", IntNode.valueOf(1));
        assertValid("data.channels", IntNode.valueOf(3));
        assertInvalid("data.channels", IntNode.valueOf(2), "must be one of 1, 3; got 2");
        assertInvalid("vq.perceptual_loss", com.fasterxml.jackson.databind.node.BooleanNode.TRUE, "must be one of false");
        assertValid("vq.perceptual_loss", com.fasterxml.jackson.databind.node.BooleanNode.FALSE);
        assertInvalid("data.num_classes", IntNode.valueOf(0), "out of range");
        assertValid("data.train_size", IntNode.valueOf(0));
        assertValid("data.train_size", IntNode.valueOf(10_000_000));
        assertInvalid("data.train_size", IntNode.valueOf(10_000_001), "out of range");
        assertInvalid("data.shard_size", IntNode.valueOf(0), "out of range");
        assertValid("data.seed", LongNode.valueOf(Long.MAX_VALUE));
        assertInvalid("data.seed", IntNode.valueOf(-1), "out of range: expected an integer >= 0, got -1");
        assertInvalid("seed", JsonNodeFactory.instance.numberNode(new BigInteger("99999999999999999999")),
                "out of range");
    }

    @Test
    void integersFromWholeFloatsOnly() {
        assertThat(check("data.image_size", DoubleNode.valueOf(32.0))).isEqualTo(IntNode.valueOf(32));
        assertThat(check("data.image_size", DecimalNode.valueOf(new BigDecimal("32.000"))))
                .isEqualTo(IntNode.valueOf(32));
        assertInvalid("data.image_size", DoubleNode.valueOf(32.5), "fractional part");
        assertInvalid("data.image_size", DoubleNode.valueOf(Double.NaN), "expected an integer");
        assertInvalid("data.image_size", DoubleNode.valueOf(Double.POSITIVE_INFINITY), "expected an integer");
        assertThat(check("data.seed", LongNode.valueOf(5))).isEqualTo(IntNode.valueOf(5));
        assertThat(check("data.seed", LongNode.valueOf(5_000_000_000L))).isEqualTo(LongNode.valueOf(5_000_000_000L));
    }

    @Test
    void floatsAcceptIntegersAndRefuseNonFinite() {
        ConfigField lr = ConfigField.number("train.lr", 0, 1, "learning rate");
        List<FieldError> errors = new ArrayList<>();
        assertThat(lr.check(IntNode.valueOf(1), "x", errors)).isEqualTo(DoubleNode.valueOf(1.0));
        assertThat(lr.check(DoubleNode.valueOf(0.5), "x", errors)).isEqualTo(DoubleNode.valueOf(0.5));
        assertThat(errors).isEmpty();
        assertThat(lr.check(DoubleNode.valueOf(Double.NaN), "x", errors)).isNull();
        assertThat(lr.check(DoubleNode.valueOf(1.5), "x", errors)).isNull();
        assertThat(lr.check(TextNode.valueOf("0.1"), "x", errors)).isNull();
        assertThat(errors).extracting(FieldError::reason).containsExactly("expected a finite number, got NaN",
                "out of range: expected a number in [0.0, 1.0], got 1.5",
                "expected a number in [0.0, 1.0], got a string ('0.1')");
    }

    @Test
    void booleansAndStrings() {
        ConfigField flag = ConfigField.bool("train.ema", "use EMA");
        List<FieldError> errors = new ArrayList<>();
        assertThat(flag.check(BooleanNode.TRUE, "x", errors)).isEqualTo(BooleanNode.TRUE);
        assertThat(flag.check(TextNode.valueOf("true"), "x", errors)).isNull();
        assertThat(errors).extracting(FieldError::reason).containsExactly("expected a boolean, got a string ('true')");
        assertValid("data.path", TextNode.valueOf("/data/fmnist"));
        assertInvalid("data.path", IntNode.valueOf(3), "expected an absolute path or null, got a number (3)");
    }

    @Test
    void nulls() {
        assertThat(check("data.path", NullNode.getInstance())).isEqualTo(NullNode.getInstance());
        assertThat(check("data.path", null)).isEqualTo(NullNode.getInstance());
        assertInvalid("data.image_size", NullNode.getInstance(), "must not be null; expected an integer in [8, 1024]");
        assertInvalid("data.dataset", NullNode.getInstance(), "must not be null");
    }

    @Test
    void enums() {
        assertValid("data.dataset", TextNode.valueOf("shapes"));
        assertInvalid("data.dataset", TextNode.valueOf("Shapes"),
                "must be one of shapes, fashion-mnist; got 'Shapes'; did you mean 'shapes'?");
        assertInvalid("data.dataset", TextNode.valueOf("imagenet"),
                "must be one of shapes, fashion-mnist; got 'imagenet'");
        assertInvalid("data.dataset", IntNode.valueOf(1),
                "expected a string (one of shapes, fashion-mnist), got a number (1)");
    }

    @Test
    void discretePositionsIsAStageTwoKeyWhoseDefaultIsLearned() {
        assertThat(SCHEMA.keysUnder("stage2")).contains("stage2.discrete_positions");
        assertThat(field("stage2.discrete_positions").allowed()).containsExactly("learned", "none");
        assertValid("stage2.discrete_positions", TextNode.valueOf("none"));
        assertInvalid("stage2.discrete_positions", TextNode.valueOf("rope"),
                "must be one of learned, none; got 'rope'");
        for (String preset : Presets.names()) {
            assertThat(Presets.load(preset).at("/stage2/discrete_positions").asText()).as(preset).isEqualTo("learned");
        }
        // through a whole spec: the bad value is refused naming the field, the ablation arm parses
        FieldError bad = Specs.onlyErrorOf(Specs.minimal("config:\n  stage2.discrete_positions: rope\n"));
        assertThat(bad.path()).endsWith("stage2.discrete_positions");
        assertThat(bad.reason()).contains("must be one of learned, none");
        SweepSpec none = SweepSpecParser.parse(Specs.minimal("config:\n  stage2.discrete_positions: none\n"),
                SweepSpecParser.DEFAULT_MAX_ARMS);
        assertThat(none.config().at("/stage2/discrete_positions").asText()).isEqualTo("none");
    }

    @Test
    void containersAreWrongTypes() {
        assertInvalid("data.image_size", JsonNodeFactory.instance.arrayNode().add(1),
                "expected an integer in [8, 1024], got a list");
        assertInvalid("data.dataset", JsonNodeFactory.instance.objectNode(), "got a mapping");
    }

    @Test
    void errorsCarryTheGivenPath() {
        List<FieldError> errors = new ArrayList<>();
        field("data.image_size").check(TextNode.valueOf("x"), "parameters.data.image_size.values[1]", errors);
        assertThat(errors).extracting(FieldError::path).containsExactly("parameters.data.image_size.values[1]");
    }

    @Test
    void schemaRefusesDuplicateAndOverlappingKeys() {
        ConfigField a = ConfigField.bool("a", "a");
        assertThatThrownBy(() -> new ConfigSchema(List.of(a, a))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfigSchema(List.of(a, ConfigField.bool("a.b", "ab"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConfigSchema(List.of(ConfigField.bool("a..b", "x"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigField.enumeration("e", List.of(), "e"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void suggestions() {
        List<String> keys = SCHEMA.paths();
        assertThat(Suggestions.closest("data.imagesize", keys)).contains("data.image_size");
        assertThat(Suggestions.closest("DATA.IMAGE_SIZE", keys)).contains("data.image_size");
        assertThat(Suggestions.closest("shard_size", keys)).contains("data.shard_size");
        assertThat(Suggestions.closest("model.rope_base", keys)).contains("stage1.rope_base");
        // two keys end in .width (stage one's and RDPM's predictor's): no guess between them
        assertThat(Suggestions.closest("model.width", keys)).isEmpty();
        assertThat(Suggestions.closest("optimizer.momentum", keys)).isEmpty();
        assertThat(Suggestions.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(Suggestions.distance("", "abc")).isEqualTo(3);
    }

    private static ConfigField field(String path) {
        return SCHEMA.field(path).orElseThrow();
    }

    private static JsonNode check(String path, JsonNode value) {
        List<FieldError> errors = new ArrayList<>();
        JsonNode checked = field(path).check(value, path, errors);
        assertThat(errors).isEmpty();
        return checked;
    }

    private static void assertValid(String path, JsonNode value) {
        assertThat(check(path, value)).isNotNull();
    }

    private static void assertInvalid(String path, JsonNode value, String reasonPart) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(field(path).check(value, path, errors)).isNull();
        assertThat(errors).hasSize(1);
        assertThat(errors.get(0).path()).isEqualTo(path);
        assertThat(errors.get(0).reason()).contains(reasonPart);
    }
}
