package lab.d2c.workflows.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Content-hash keys of graph nodes: sha256 over the canonical JSON of (kind, code version,
 * config slice, input keys). Canonical means object keys sorted at every depth and numbers
 * written in one form, so the key does not depend on the order keys were written in a file
 * or on 32 vs 32.0.
 */
public final class NodeKeys {

    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** Hex characters of the hash kept in a key; 80 bits keep collisions out of reach. */
    private static final int HASH_CHARS = 20;

    private NodeKeys() {
    }

    /** The key, e.g. {@code prepare-dataset-3f9a0c...}. It is also the node's workflow id. */
    public static String key(String kind, int codeVersion, ObjectNode configSlice, Map<String, String> inputKeys) {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("kind", kind);
        doc.put("version", codeVersion);
        doc.set("config", canonical(configSlice));
        ObjectNode inputs = doc.putObject("inputs");
        new TreeMap<>(inputKeys).forEach(inputs::put);
        return kind + "-" + sha256(canonicalJson(doc)).substring(0, HASH_CHARS);
    }

    /** The canonical JSON text of a tree. */
    public static String canonicalJson(JsonNode node) {
        try {
            return CANONICAL.writeValueAsString(canonical(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (String name : new TreeSet<>(iterable(node))) {
                out.set(name, canonical(node.get(name)));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(canonical(n)));
            return out;
        }
        if (node.isNumber()) {
            // One written form per value: 32, 32.0 and 3.2e1 hash alike.
            if (node.isIntegralNumber() || node.doubleValue() == Math.rint(node.doubleValue())
                    && Math.abs(node.doubleValue()) < 1e15) {
                return JsonNodeFactory.instance.numberNode(node.asLong());
            }
            return JsonNodeFactory.instance.numberNode(node.doubleValue());
        }
        return node;
    }

    private static java.util.List<String> iterable(JsonNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
