package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workflows.spec.BundledSweeps;
import lab.d2c.workflows.spec.SweepSpecParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzz over HTTP: 1200 sweep bodies, each malformed by construction (broken YAML or JSON,
 * unknown keys, wrong types, bad names and enums, arm counts over the cap, binary and
 * invalid UTF-8, deep nesting, bodies over the size limit), POSTed with the token. Every
 * one must get a 4xx in the error shape (400s naming a field), none a 5xx, and nothing may
 * be recorded or launched.
 */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class SweepBodyFuzzTest {

    private static final int BODIES = 1200;
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Test
    void everyMalformedBodyGetsA4xxAndNothingIsLaunched() throws Exception {
        ObjectNode valid = (ObjectNode) YAML.readTree(BundledSweeps.read("smoke"));
        Random random = new Random(20261125L);
        // No worker: even a wrongly accepted sweep could not run, but it would be recorded.
        try (LocalRuntime rt = LocalRuntime.start(LocalStackFixture.freshConfig("fuzz"), false, 1, LocalStackFixture.quiet())) {
            String url = rt.api().baseUrl() + "/api/v1/sweeps";
            Map<String, Integer> byKind = new TreeMap<>();
            Map<Integer, Integer> byStatus = new TreeMap<>();
            for (int i = 0; i < BODIES; i++) {
                Body body = generate(valid, random);
                String shown = body.kind() + " #" + i + " (" + body.bytes().length + " bytes): " + preview(body.bytes());
                HttpResponse<byte[]> r;
                try {
                    r = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", body.type())
                            .header("Authorization", "Bearer " + rt.apiToken().value())
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes())).build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                } catch (java.io.IOException e) {
                    // the server ended the connection without an answer: name the body that did it
                    throw new AssertionError("no answer to " + shown, e);
                }
                assertThat(r.statusCode()).as(shown).isBetween(400, 499);
                JsonNode error = JSON.readTree(r.body()).get("error");
                assertThat(error.get("status").asInt()).as(shown).isEqualTo(r.statusCode());
                assertThat(error.get("message").asText()).as(shown).isNotBlank();
                if (r.statusCode() == 400) {
                    assertThat(error.get("fields")).as(shown).isNotEmpty();
                    error.get("fields").forEach(f -> assertThat(f.get("path").asText()).as(shown).isNotBlank());
                }
                byKind.merge(body.kind(), 1, Integer::sum);
                byStatus.merge(r.statusCode(), 1, Integer::sum);
            }
            assertThat(new SweepRepository(rt.platform().database().dataSource()).count()).as("sweeps recorded").isZero();
            assertThat(byKind).as("every kind of damage was tried").hasSize(KINDS);
            assertThat(byStatus).containsKeys(400, 413);
            System.out.println("fuzz: " + byKind + " -> " + byStatus);
        }
    }

    private record Body(String kind, String type, byte[] bytes) {
    }

    private static final int KINDS = 10;

    private static Body generate(ObjectNode valid, Random random) throws Exception {
        ObjectNode tree = valid.deepCopy();
        return switch (random.nextInt(KINDS)) {
            case 0 -> {
                insertUnknownKey(tree, random);
                yield text("unknown-key", tree, random);
            }
            case 1 -> {
                breakLeafType(tree, random);
                yield text("wrong-type", tree, random);
            }
            case 2 -> {
                String[][] bad = {{"name", ""}, {"name", "has space"}, {"name", "x".repeat(300)}, {"method", "bayes-nope"},
                    {"preset", "nosuch"}, {"seeds", "[]"}};
                String[] pick = bad[random.nextInt(bad.length)];
                if (pick[1].equals("[]")) {
                    tree.putArray(pick[0]);
                } else {
                    tree.put(pick[0], pick[1]);
                }
                yield text("bad-top-level", tree, random);
            }
            case 3 -> {
                // arms over the cap: a grid whose product exceeds it
                ObjectNode params = tree.putObject("parameters");
                int per = 17 + random.nextInt(10);
                var lr = params.putObject("stage2.train.lr").putArray("values");
                var steps = params.putObject("stage2.train.steps").putArray("values");
                for (int k = 0; k < per; k++) {
                    lr.add(0.0001 * (k + 1));
                    steps.add(10 + k);
                }
                assertThat(per * per * 2).isGreaterThan(SweepSpecParser.DEFAULT_MAX_ARMS);
                yield text("too-many-arms", tree, random);
            }
            case 4 -> {
                String doc = YAML.writeValueAsString(tree);
                String[] unclosed = {"{", "[", "\"", "'", "key: [1, 2", "{a: "};
                int at = random.nextInt(doc.length());
                String broken = doc.substring(0, at) + "\nconfig: " + unclosed[random.nextInt(unclosed.length)];
                yield new Body("broken-yaml", "application/yaml", broken.getBytes(StandardCharsets.UTF_8));
            }
            case 5 -> {
                String doc = JSON.writeValueAsString(tree);
                String broken = doc.substring(0, 1 + random.nextInt(doc.length() - 2));
                yield new Body("truncated-json", "application/json", broken.getBytes(StandardCharsets.UTF_8));
            }
            case 6 -> {
                byte[] bytes = new byte[1 + random.nextInt(512)];
                random.nextBytes(bytes);
                bytes[0] = (byte) 0xC3; // a lead byte followed by anything else: never a valid document start
                bytes[Math.min(1, bytes.length - 1)] = (byte) 0x28;
                yield new Body("binary", random.nextBoolean() ? "application/yaml" : "application/octet-stream", bytes);
            }
            case 7 -> {
                int depth = 200 + random.nextInt(20_000);
                String open = random.nextBoolean() ? "[" : "{a: ";
                yield new Body("deep-nesting", "application/yaml", open.repeat(depth).getBytes(StandardCharsets.UTF_8));
            }
            case 8 -> {
                StringBuilder big = new StringBuilder("name: big\npreset: tiny\ndescription: ");
                big.append("x".repeat((int) ApiServer.MAX_BODY_BYTES + 1 + random.nextInt(100_000)));
                yield new Body("too-large", "application/yaml", big.toString().getBytes(StandardCharsets.UTF_8));
            }
            default -> {
                String[] notADocument = {"", "   \n\t", "- a\n- b\n", "42", "null", "~", "\"just a string\"", "[]", "{}",
                    "---\n---\n", "\uFEFF"};
                yield new Body("not-a-spec", "application/yaml",
                        notADocument[random.nextInt(notADocument.length)].getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private static Body text(String kind, ObjectNode tree, Random random) throws Exception {
        return random.nextBoolean()
                ? new Body(kind, "application/yaml", YAML.writeValueAsBytes(tree))
                : new Body(kind, "application/json", JSON.writeValueAsBytes(tree));
    }

    private static void insertUnknownKey(ObjectNode tree, Random random) {
        List<ObjectNode> objects = new ArrayList<>();
        collectObjects(tree, objects);
        objects.get(random.nextInt(objects.size())).put("zz_unknown_" + random.nextInt(1000), random.nextInt(5));
    }

    private static void collectObjects(JsonNode node, List<ObjectNode> out) {
        if (node instanceof ObjectNode o) {
            out.add(o);
            o.elements().forEachRemaining(c -> collectObjects(c, out));
        }
    }

    /** Replaces a scalar leaf under config with a mapping: no field of the schema takes one there. */
    private static void breakLeafType(ObjectNode tree, Random random) {
        List<Object[]> leaves = new ArrayList<>();
        collectLeaves((ObjectNode) tree.get("config"), leaves);
        Object[] leaf = leaves.get(random.nextInt(leaves.size()));
        ((ObjectNode) leaf[0]).putObject((String) leaf[1]).put("nested", 1);
    }

    private static void collectLeaves(ObjectNode node, List<Object[]> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() instanceof ObjectNode child) {
                collectLeaves(child, out);
            } else if (e.getValue().isValueNode()) {
                out.add(new Object[] {node, e.getKey()});
            }
        }
    }

    private static String preview(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", "?");
        return bytes.length > 300 ? s + "... (" + bytes.length + " bytes)" : s;
    }
}
