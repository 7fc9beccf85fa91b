package lab.d2c.workflows.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever a user sends, parsing ends in a spec or a {@link SpecException} with
 * path-named errors; never a NullPointerException, ClassCastException or the like.
 */
class MalformedSpecPropertyTest {

    private static final int DOCUMENTS = 300;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] GARBAGE = {"{", "}", "[", "]", ":", "- ", "\t", "\"", "'", "&a ", "*a", "!!binary ",
        "---\n", "\n  ", "#", "%YAML 1.2\n", "? ", "|", ">", "\u0000", "~", "null", ",", "@", "`", "\\", "\uFEFF",
        "é"};

    @Test
    void randomMutationsOfAValidSpecOnlyEverThrowSpecException() throws Exception {
        Random random = new Random(20240611L);
        ObjectNode valid = (ObjectNode) YAML.readTree(Specs.VALID);
        int parsed = 0;
        int refused = 0;
        for (int i = 0; i < DOCUMENTS; i++) {
            String text = mutant(valid, random);
            try {
                SweepSpec spec = SweepSpecParser.parse(text, SweepSpecParser.DEFAULT_MAX_ARMS);
                assertThat(spec.expand(SweepSpecParser.DEFAULT_MAX_ARMS)).hasSize(spec.armCount());
                parsed++;
            } catch (SpecException e) {
                assertThat(e.errors()).as(text).isNotEmpty();
                assertThat(e.errors()).as(text).allSatisfy(f -> {
                    assertThat(f.path()).isNotBlank();
                    assertThat(f.reason()).isNotBlank();
                });
                assertThat(e.getMessage()).isNotBlank();
                refused++;
            } catch (RuntimeException e) {
                throw new AssertionError("not a SpecException for document " + i + ":\n" + text, e);
            }
        }
        assertThat(refused).as("most mutants are invalid").isGreaterThan(DOCUMENTS / 2);
        assertThat(parsed + refused).isEqualTo(DOCUMENTS);
    }

    private static String mutant(ObjectNode valid, Random random) throws Exception {
        ObjectNode tree = valid.deepCopy();
        int treeMutations = 1 + random.nextInt(3);
        for (int m = 0; m < treeMutations; m++) {
            mutateTree(tree, random);
        }
        String text = random.nextInt(4) == 0 ? JSON.writeValueAsString(tree) : YAML.writeValueAsString(tree);
        if (random.nextInt(3) == 0) {
            text = mutateText(text, random);
        }
        return text;
    }

    /** Deletes a key, changes a value's type, or adds a junk key, somewhere in the tree. */
    private static void mutateTree(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collectContainers(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        if (target instanceof ObjectNode object) {
            List<String> names = new ArrayList<>();
            object.fieldNames().forEachRemaining(names::add);
            int action = random.nextInt(3);
            if (names.isEmpty() || action == 0) {
                object.set(randomKey(random), randomValue(random, 2));
            } else if (action == 1) {
                object.remove(names.get(random.nextInt(names.size())));
            } else {
                object.set(names.get(random.nextInt(names.size())), randomValue(random, 2));
            }
        } else if (target instanceof ArrayNode array) {
            int action = random.nextInt(3);
            if (array.isEmpty() || action == 0) {
                array.add(randomValue(random, 1));
            } else if (action == 1) {
                array.remove(random.nextInt(array.size()));
            } else {
                array.set(random.nextInt(array.size()), randomValue(random, 1));
            }
        }
    }

    private static void collectContainers(JsonNode node, List<JsonNode> out) {
        if (node.isContainerNode()) {
            out.add(node);
            node.forEach(child -> collectContainers(child, out));
        }
    }

    private static String randomKey(Random random) {
        String[] keys = {"name", "preset", "seeds", "config", "parameters", "values", "value", "data", "data.seed",
            "seed", "data.image_size", "image_size", "bogus", "", "a.b.c", "data..x", ".", "method"};
        return keys[random.nextInt(keys.length)];
    }

    private static JsonNode randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 11 : 9);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(random.nextInt(2000) - 500);
            case 3 -> NODES.numberNode(random.nextGaussian() * 1e3);
            case 4 -> NODES.numberNode(random.nextLong());
            case 5 -> NODES.textNode(new String[] {"", "tiny", "b", "shapes", "grid", "x y", "random", "fashion-mnist"}
                    [random.nextInt(8)]);
            case 6 -> NODES.numberNode(new java.math.BigInteger(100, random));
            case 7 -> NODES.numberNode(Double.NaN);
            case 8 -> NODES.textNode(Long.toString(random.nextLong(), 36));
            case 9 -> {
                ArrayNode array = NODES.arrayNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    array.add(randomValue(random, depth - 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                for (int i = random.nextInt(4); i > 0; i--) {
                    object.set(randomKey(random), randomValue(random, depth - 1));
                }
                yield object;
            }
        };
    }

    /** Inserts garbage, deletes a span, duplicates a line or truncates. */
    private static String mutateText(String text, Random random) {
        if (text.isEmpty()) {
            return GARBAGE[random.nextInt(GARBAGE.length)];
        }
        int at = random.nextInt(text.length());
        return switch (random.nextInt(4)) {
            case 0 -> text.substring(0, at) + GARBAGE[random.nextInt(GARBAGE.length)] + text.substring(at);
            case 1 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + random.nextInt(10)));
            case 2 -> {
                String[] lines = text.split("\n", -1);
                int line = random.nextInt(lines.length);
                List<String> out = new ArrayList<>(List.of(lines));
                out.add(line, lines[line]);
                yield String.join("\n", out);
            }
            default -> text.substring(0, at);
        };
    }
}
