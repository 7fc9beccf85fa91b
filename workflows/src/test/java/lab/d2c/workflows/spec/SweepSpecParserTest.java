package lab.d2c.workflows.spec;

import static lab.d2c.workflows.spec.Specs.VALID;
import static lab.d2c.workflows.spec.Specs.errorsOf;
import static lab.d2c.workflows.spec.Specs.minimal;
import static lab.d2c.workflows.spec.Specs.onlyErrorOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SweepSpecParserTest {

    @Test
    void parsesTheExampleSpec() {
        SweepSpec spec = SweepSpecParser.parse(VALID);
        assertThat(spec.name()).isEqualTo("demo-quick");
        assertThat(spec.description()).isEqualTo("two arms");
        assertThat(spec.preset()).isEqualTo("tiny");
        assertThat(spec.method()).isEqualTo("grid");
        assertThat(spec.parameters()).containsOnlyKeys("data.train_size", "data.seed");
        assertThat(spec.parameters().keySet()).containsExactly("data.train_size", "data.seed");
        assertThat(spec.parameters().get("data.train_size"))
                .containsExactly(IntNode.valueOf(1000), IntNode.valueOf(2000));
        assertThat(spec.parameters().get("data.seed")).containsExactly(IntNode.valueOf(3));
        assertThat(spec.seeds()).containsExactly(0L, 1L);
        assertThat(spec.config().at("/data/dataset").asText()).isEqualTo("shapes");
        assertThat(spec.config().at("/data/image_size").asInt()).isEqualTo(32);
        assertThat(spec.armCount()).isEqualTo(4);
    }

    @Test
    void defaultsOptionalKeys() {
        SweepSpec spec = SweepSpecParser.parse(minimal(""));
        assertThat(spec.description()).isEmpty();
        assertThat(spec.method()).isEqualTo("grid");
        assertThat(spec.parameters()).isEmpty();
        assertThat(spec.seeds()).containsExactly(0L);
        assertThat(spec.config()).isEqualTo(Presets.load("tiny"));
        assertThat(spec.armCount()).isEqualTo(1);
    }

    @Test
    void optionalKeysSetToNullCountAsAbsent() {
        SweepSpec spec = SweepSpecParser.parse(minimal("description:\nmethod:\nconfig:\nparameters:\nseeds:\n"));
        assertThat(spec.seeds()).containsExactly(0L);
        assertThat(spec.parameters()).isEmpty();
    }

    @Test
    void readsJson() {
        String json = """
                {"name": "demo-quick", "description": "two arms", "preset": "tiny", "method": "grid",
                 "config": {"data.dataset": "shapes"},
                 "parameters": {"data.train_size": {"values": [1000, 2000]}, "data.seed": {"value": 3}},
                 "seeds": [0, 1]}
                """;
        assertThat(SweepSpecParser.parse(json)).isEqualTo(SweepSpecParser.parse(VALID));
    }

    @Test
    void malformedJsonReadsAsJsonWithLineAndColumn() {
        FieldError e = onlyErrorOf("{\"name\": \"x\",\n \"preset\": ");
        assertThat(e.path()).isEqualTo(FieldError.DOCUMENT);
        assertThat(e.reason()).startsWith("malformed JSON at line 2, column").contains("end-of-input");
    }

    @Test
    void malformedYamlNamesLineAndColumn() {
        FieldError e = onlyErrorOf("name: ok\npreset: [unclosed\n");
        assertThat(e.path()).isEqualTo(FieldError.DOCUMENT);
        assertThat(e.reason()).startsWith("malformed YAML at line").contains("column").doesNotContain("\n");

        FieldError indent = onlyErrorOf("name: ok\n  bad: indent\npreset: tiny\n");
        assertThat(indent.reason()).contains("line 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n", "# only a comment\n"})
    void emptyDocumentsAreRefused(String text) {
        FieldError e = onlyErrorOf(text);
        assertThat(e.path()).isEqualTo(FieldError.DOCUMENT);
        assertThat(e.reason()).contains("empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"- a\n- list\n", "just a string\n", "42\n", "[1, 2]"})
    void nonMappingDocumentsAreRefused(String text) {
        FieldError e = onlyErrorOf(text);
        assertThat(e.path()).isEqualTo(FieldError.DOCUMENT);
        assertThat(e.reason()).startsWith("expected a mapping");
    }

    @Test
    void aSecondYamlDocumentIsRefused() {
        FieldError e = onlyErrorOf(minimal("---\nname: other\n"));
        assertThat(e.reason()).contains("more than one YAML document");
    }

    @Test
    void duplicateKeysAreRefusedWithTheirPath() {
        assertThat(onlyErrorOf("name: a\nname: b\npreset: tiny\n").path()).isEqualTo("name");
        FieldError nested = onlyErrorOf(minimal("config:\n  data:\n    image_size: 32\n    image_size: 64\n"));
        assertThat(nested.path()).isEqualTo("config.data.image_size");
        assertThat(nested.reason()).contains("duplicate key").contains("line 6");
        FieldError json = onlyErrorOf("{\"name\": \"a\", \"preset\": \"tiny\", \"seeds\": [1], \"seeds\": [2]}");
        assertThat(json.path()).isEqualTo("seeds");
        assertThat(json.reason()).contains("duplicate key");
    }

    @Test
    void yamlAliasesAreRefusedNamingTheField() {
        // Jackson reads an alias as its anchor's name: data.path would silently have been "d".
        List<FieldError> errors = errorsOf(minimal("description: &d /srv/fmnist\nconfig:\n  data:\n    path: *d\n"));
        assertThat(errors).containsExactly(new FieldError("description", YamlAnchors.ANCHOR),
                new FieldError("config.data.path", YamlAnchors.ALIAS));
        assertThat(YamlAnchors.ALIAS).isEqualTo("YAML aliases are not supported (write the value out)");
        assertThat(errorsOf(minimal("parameters:\n  data.seed:\n    values: [&a 1, *a]\n"))).containsExactly(
                new FieldError("parameters.data.seed.values[0]", YamlAnchors.ANCHOR),
                new FieldError("parameters.data.seed.values[1]", YamlAnchors.ALIAS));
        assertThat(errorsOf(minimal("config: &c {data.seed: 1}\narms:\n  - name: a\n    <<: *c\n"))).containsExactly(
                new FieldError("config", YamlAnchors.ANCHOR), new FieldError("arms[0].<<", YamlAnchors.ALIAS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"&top\nname: ok\npreset: tiny\n|<document>", "&k name: ok\npreset: tiny\n|name",
        "name: ok\npreset: tiny\nseeds: &s [0, 1]\n|seeds", "name: ok\npreset: tiny\nseeds: [0, &s 1]\n|seeds[1]",
        "name: ok\npreset: tiny\nconfig:\n  data.path: &p\n|config.data.path",
        "name: ok\npreset: tiny\nconfig:\n  data.image_size: !!int &n 32\n|config.data.image_size"})
    void yamlAnchorsAreRefusedWherever(String caseText) {
        String[] textAndPath = caseText.split("\\|");
        assertThat(onlyErrorOf(textAndPath[0])).isEqualTo(new FieldError(textAndPath[1], YamlAnchors.ANCHOR));
        // An & or * inside a quoted string, or in JSON, is just text.
        assertThat(SweepSpecParser.parse(minimal("description: '&a *b'\n")).description()).isEqualTo("&a *b");
        assertThat(SweepSpecParser.parse("{\"name\": \"ok\", \"preset\": \"tiny\", \"description\": \"&a *a\"}")
                .description()).isEqualTo("&a *a");
    }

    @Test
    void thousandsOfErrorsAreCutToTheFirstHundredAndACount() {
        StringBuilder text = new StringBuilder(minimal("config:\n"));
        for (int i = 0; i < 5000; i++) {
            text.append("  bogus_").append(i).append(": 1\n");
        }
        List<FieldError> errors = errorsOf(text.toString());
        assertThat(errors).hasSize(SpecException.MAX_ERRORS + 1);
        assertThat(errors.subList(0, SpecException.MAX_ERRORS)).allSatisfy(e -> assertThat(e.path()).startsWith("config.bogus_"));
        assertThat(errors.get(SpecException.MAX_ERRORS)).isEqualTo(new FieldError(FieldError.DOCUMENT,
                "4900 more errors not shown; fix the ones above and submit again"));
        SpecException e = new SpecException(errors.subList(0, 3));
        assertThat(e.errors()).hasSize(3);
        assertThat(new SpecException(java.util.Collections.nCopies(150, errors.get(0))).getMessage())
                .startsWith("invalid spec (150 errors):\n").contains("50 more errors not shown").hasLineCount(102);
    }

    @Test
    void dottedAndNestedFormsOfTheSameKeyAtOnceAreRefused() {
        FieldError e = onlyErrorOf(minimal("config:\n  data.image_size: 32\n  data:\n    image_size: 32\n"));
        assertThat(e.path()).isEqualTo("config.data.image_size");
        assertThat(e.reason()).contains("more than once");
    }

    @Test
    void unknownTopLevelKeysGetSuggestions() {
        List<FieldError> errors = errorsOf(minimal("parameter: {}\nseed: [1]\nbogus: 1\n"));
        assertThat(errors).containsExactly(
                new FieldError("parameter", "unknown key; did you mean 'parameters'?"),
                new FieldError("seed", "unknown key; did you mean 'seeds'?"),
                new FieldError("bogus", "unknown key"));
    }

    @Test
    void unknownConfigKeysGetSuggestions() {
        List<FieldError> errors = errorsOf(minimal(
                "config:\n  data.imagesize: 32\n  image_size: 32\n  data:\n    shardsize: 1\n  zzz: 1\n"));
        assertThat(errors).containsExactly(
                new FieldError("config.data.imagesize", "unknown key; did you mean 'data.image_size'?"),
                new FieldError("config.image_size", "unknown key; did you mean 'data.image_size'?"),
                new FieldError("config.data.shardsize", "unknown key; did you mean 'data.shard_size'?"),
                new FieldError("config.zzz", "unknown key"));
    }

    @Test
    void unknownParameterKeysGetSuggestions() {
        List<FieldError> errors = errorsOf(minimal("parameters:\n  data.trainsize:\n    values: [1, 2]\n"
                + "  data.test_size:\n    valeus: [1]\n"));
        assertThat(errors).extracting(FieldError::path)
                .containsExactly("parameters.data.trainsize", "parameters.data.test_size.valeus",
                        "parameters.data.test_size");
        assertThat(errors.get(0).reason()).isEqualTo("unknown key; did you mean 'data.train_size'?");
        assertThat(errors.get(1).reason()).contains("did you mean 'values'?");
        assertThat(errors.get(2).reason()).contains("needs values");
    }

    @Test
    void sectionsAreNotKeys() {
        FieldError param = onlyErrorOf(minimal("parameters:\n  data:\n    values: [1]\n"));
        assertThat(param.path()).isEqualTo("parameters.data");
        assertThat(param.reason()).contains("section");
        FieldError config = onlyErrorOf(minimal("config:\n  data: 3\n"));
        assertThat(config.path()).isEqualTo("config.data");
        assertThat(config.reason()).contains("section").contains("data.image_size");
    }

    @Test
    void theRunSeedIsSetBySeedsOnly() {
        List<FieldError> errors = errorsOf(minimal("config:\n  seed: 3\nparameters:\n  seed:\n    values: [1, 2]\n"));
        assertThat(errors).extracting(FieldError::path).containsExactly("config.seed", "parameters.seed");
        assertThat(errors).allSatisfy(e -> assertThat(e.reason()).contains("seeds"));
    }

    @Test
    void requiredKeys() {
        List<FieldError> errors = errorsOf("description: nothing else\n");
        assertThat(errors).extracting(FieldError::path).containsExactly("name", "preset");
        assertThat(errors).allSatisfy(e -> assertThat(e.reason()).startsWith("required"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Demo", "-lead", "has space", "under_score", "", "caf\u00e9"})
    void badNames(String name) {
        FieldError e = onlyErrorOf("name: \"" + name + "\"\npreset: tiny\n");
        assertThat(e.path()).isEqualTo("name");
        assertThat(e.reason()).contains("must match");
    }

    @Test
    void namesHaveAtMost63Characters() {
        assertThat(SweepSpecParser.parse("name: " + "a".repeat(63) + "\npreset: tiny\n").name()).hasSize(63);
        assertThat(onlyErrorOf("name: " + "a".repeat(64) + "\npreset: tiny\n").reason()).contains("at most 63");
    }

    @Test
    void unknownPresetListsTheKnownOnes() {
        FieldError e = onlyErrorOf("name: ok\npreset: tinny\n");
        assertThat(e.path()).isEqualTo("preset");
        assertThat(e.reason()).contains("b, tiny").contains("did you mean 'tiny'?");
    }

    @Test
    void onlyGridIsSupported() {
        FieldError e = onlyErrorOf(minimal("method: random\n"));
        assertThat(e.path()).isEqualTo("method");
        assertThat(e.reason()).contains("only grid is supported");
    }

    @Test
    void wrongTypesAtEveryLevel() {
        List<FieldError> errors = errorsOf("""
                name: 12
                description: [a]
                preset: {x: 1}
                method: 3
                config: [1]
                parameters: 5
                seeds: {a: 1}
                """);
        assertThat(errors).extracting(FieldError::path)
                .containsExactly("name", "description", "preset", "method", "config", "parameters", "seeds");
        assertThat(errors).extracting(FieldError::reason).allSatisfy(r -> assertThat(r).startsWith("expected"));
        assertThat(errors.get(0).reason()).isEqualTo("expected a string, got a number (12); quote it to make it a string");
    }

    @Test
    void wrongValueTypesInConfig() {
        List<FieldError> errors = errorsOf(minimal("""
                config:
                  data.image_size: big
                  data.train_size: 2.5
                  data.dataset: fashion_mnist
                  data.channels: 2
                  data.shard_size: 0
                  data.test_size: null
                  data.num_classes: {values: [1, 2]}
                """));
        assertThat(errors).extracting(FieldError::path).containsExactly("config.data.image_size",
                "config.data.train_size", "config.data.dataset", "config.data.channels", "config.data.shard_size",
                "config.data.test_size", "config.data.num_classes");
        assertThat(errors.get(0).reason()).isEqualTo("expected an integer in [8, 1024], got a string ('big')");
        assertThat(errors.get(1).reason()).contains("fractional part");
        assertThat(errors.get(2).reason()).contains("shapes, fashion-mnist").contains("did you mean 'fashion-mnist'?");
        assertThat(errors.get(3).reason()).contains("one of 1, 3");
        assertThat(errors.get(4).reason()).startsWith("out of range");
        assertThat(errors.get(5).reason()).startsWith("must not be null");
        assertThat(errors.get(6).reason()).contains("belongs under parameters");
    }

    @Test
    void filesAWorkerReadsAreAbsolutePathsWithoutDotSegments() {
        List<FieldError> errors = errorsOf(minimal("""
                config:
                  data.path: datasets/fashion-mnist
                  eval.inception_file: /usr/share/datasets/../../etc/passwd
                parameters:
                  eval.inception_key:
                    values: [files/inception.pt, /etc/passwd, files/../secret, 'files\\x.pt']
                """));
        assertThat(errors).containsExactly(
                new FieldError("config.data.path", "must be an absolute path (starting with '/'); got "
                        + "'datasets/fashion-mnist'"),
                new FieldError("config.eval.inception_file", "must not contain a '..' segment (write the path out); "
                        + "got '/usr/share/datasets/../../etc/passwd'"),
                new FieldError("parameters.eval.inception_key.values[1]", "must not start or end with '/' (an object "
                        + "key is relative, e.g. files/inception.pt); got '/etc/passwd'"),
                new FieldError("parameters.eval.inception_key.values[2]", "'..' path segment; got 'files/../secret'"),
                new FieldError("parameters.eval.inception_key.values[3]", "backslash at index 5 (use '/'); got "
                        + "'files\\x.pt'"));
        SweepSpec ok = SweepSpecParser.parse(minimal("config:\n  data.path: /usr/share/datasets/fashion-mnist\n"
                + "  eval.inception_file: /srv/models/pt_inception.pt\n  eval.inception_key: files/inception.pt\n"));
        assertThat(ok.config().at("/data/path").asText()).isEqualTo("/usr/share/datasets/fashion-mnist");
        assertThat(onlyErrorOf(minimal("config:\n  data.path: \"/srv/./x\"\n")).reason()).startsWith(
                "must not contain a '.' segment");
        assertThat(onlyErrorOf(minimal("config:\n  data.path: \"/srv/x\\0\"\n")).reason())
                .isEqualTo("control character U+0000 at index 6");
    }

    @Test
    void wholeFloatsAreIntegersAndNullIsAValidPath() {
        SweepSpec spec = SweepSpecParser.parse(minimal("config:\n  data.image_size: 64.0\n  data.path: null\n"));
        assertThat(spec.config().at("/data/image_size")).isEqualTo(IntNode.valueOf(64));
        assertThat(spec.config().at("/data/path")).isEqualTo(NullNode.getInstance());
    }

    @Test
    void emptyGridsAreRefused() {
        FieldError e = onlyErrorOf(minimal("parameters:\n  data.image_size:\n    values: []\n"));
        assertThat(e.path()).isEqualTo("parameters.data.image_size.values");
        assertThat(e.reason()).contains("must not be empty");
    }

    @Test
    void parameterShapes() {
        List<FieldError> errors = errorsOf(minimal("""
                parameters:
                  data.image_size: [16, 32]
                  data.train_size: {values: [1], value: 2}
                  data.test_size: {}
                  data.seed: {values: 3}
                  data.shard_size: {values: [10], distribution: uniform}
                """));
        assertThat(errors).extracting(FieldError::path).containsExactly("parameters.data.image_size",
                "parameters.data.train_size", "parameters.data.test_size", "parameters.data.seed.values",
                "parameters.data.shard_size.distribution");
        assertThat(errors.get(0).reason()).contains("write values: [...]");
        assertThat(errors.get(1).reason()).contains("not both");
        assertThat(errors.get(3).reason()).contains("non-empty list");
        assertThat(errors.get(4).reason()).contains("only grid search");
    }

    @Test
    void parameterValuesAreCheckedOneByOne() {
        List<FieldError> errors = errorsOf(minimal(
                "parameters:\n  data.image_size:\n    values: [16, \"big\", 4, 16.0, 2.5]\n"
                + "  data.dataset:\n    value: mnist\n"));
        assertThat(errors).extracting(FieldError::path).containsExactly(
                "parameters.data.image_size.values[1]", "parameters.data.image_size.values[2]",
                "parameters.data.image_size.values[3]", "parameters.data.image_size.values[4]",
                "parameters.data.dataset.value");
        assertThat(errors.get(2).reason()).contains("duplicate value 16").contains("values[0]");
    }

    @Test
    void aKeyInBothConfigAndParametersIsAmbiguous() {
        FieldError e = onlyErrorOf(minimal(
                "config:\n  data:\n    image_size: 32\nparameters:\n  data.image_size:\n    values: [16, 32]\n"));
        assertThat(e.path()).isEqualTo("parameters.data.image_size");
        assertThat(e.reason()).startsWith("ambiguous");
    }

    @Test
    void seeds() {
        List<FieldError> errors = errorsOf(minimal("seeds: [0, -1, 0, 1.5, x, null]\n"));
        assertThat(errors).extracting(FieldError::path)
                .containsExactly("seeds[1]", "seeds[2]", "seeds[3]", "seeds[4]", "seeds[5]");
        assertThat(errors.get(1).reason()).isEqualTo("duplicate seed 0 (also at seeds[0])");
        assertThat(onlyErrorOf(minimal("seeds: []\n")).reason()).contains("must not be empty");
        assertThat(onlyErrorOf(minimal("seeds: 3\n")).reason()).contains("a list");
        assertThat(SweepSpecParser.parse(minimal("seeds: [5, 1, 3]\n")).seeds()).containsExactly(5L, 1L, 3L);
    }

    @Test
    void dottedAndNestedConfigMeanTheSame() {
        String dotted = minimal("config:\n  data.dataset: shapes\n  data.image_size: 48\n  data.path: /tmp/x\n");
        String nested = minimal("config:\n  data:\n    dataset: shapes\n    image_size: 48\n    path: /tmp/x\n");
        String mixed = minimal("config:\n  data.path: /tmp/x\n  data:\n    image_size: 48\n    dataset: shapes\n");
        SweepSpec a = SweepSpecParser.parse(dotted);
        assertThat(SweepSpecParser.parse(nested)).isEqualTo(a);
        assertThat(SweepSpecParser.parse(mixed)).isEqualTo(a);
        assertThat(a.config().at("/data/path")).isEqualTo(TextNode.valueOf("/tmp/x"));
        assertThat(a.expand(10)).isEqualTo(SweepSpecParser.parse(mixed).expand(10));
    }

    @Test
    void resolvedConfigKeepsSchemaOrderWhateverTheFileOrder() {
        SweepSpec spec = SweepSpecParser.parse(minimal("config:\n  data.shard_size: 5\n  data.dataset: shapes\n"));
        List<String> order = iterate(spec.config().get("data"));
        assertThat(order).containsExactly("dataset", "path", "image_size", "channels", "num_classes", "train_size",
                "test_size", "seed", "shard_size");
    }

    @Test
    void allErrorsAreReportedTogether() {
        SpecException e = assertThrows(SpecException.class, () -> SweepSpecParser.parse("""
                name: Bad Name
                preset: tiny
                method: bayes
                config:
                  data.image_size: 4
                  data.nope: 1
                parameters:
                  data.train_size:
                    values: []
                seeds: [1, 1]
                extra: true
                """));
        assertThat(e.errors()).extracting(FieldError::path).containsExactlyInAnyOrder("extra", "name", "method",
                "config.data.image_size", "config.data.nope", "parameters.data.train_size.values", "seeds[1]");
        assertThat(e.getMessage()).contains("7 errors").contains("config.data.nope: unknown key")
                .contains("seeds[1]: duplicate seed 1");
    }

    @Test
    void textOverOneMegabyteIsRefused() {
        String big = minimal("description: \"" + "x".repeat(SweepSpecParser.MAX_TEXT_BYTES) + "\"\n");
        FieldError e = onlyErrorOf(big);
        assertThat(e.path()).isEqualTo(FieldError.DOCUMENT);
        assertThat(e.reason()).contains("larger than");
        String multiByte = minimal("description: \"" + "é".repeat(SweepSpecParser.MAX_TEXT_BYTES / 2 + 1) + "\"\n");
        assertThat(onlyErrorOf(multiByte).reason()).contains("larger than");
    }

    @Test
    void aNonPositiveCapIsAProgrammingError() {
        assertThatThrownBy(() -> SweepSpecParser.parse(VALID, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSpecSerialisesToJson() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        JsonNode json = mapper.valueToTree(SweepSpecParser.parse(VALID));
        assertThat(json.get("name").asText()).isEqualTo("demo-quick");
        assertThat(json.at("/parameters/data.train_size/1").asInt()).isEqualTo(2000);
        assertThat(json.at("/config/data/dataset").asText()).isEqualTo("shapes");
        assertThat(json.get("seeds").size()).isEqualTo(2);
    }

    private static List<String> iterate(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
