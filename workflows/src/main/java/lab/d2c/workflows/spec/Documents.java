package lab.d2c.workflows.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads a YAML or JSON document into a tree, strictly: duplicate keys, trailing content
 * (a second YAML document) and YAML anchors and aliases ({@link YamlAnchors}) are errors. Every failure is a {@link SpecException}.
 */
final class Documents {

    /** Largest document read, in UTF-8 bytes. */
    static final int MAX_BYTES = 1_000_000;

    private static final int MAX_REASON_CHARS = 300;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Documents() {
    }

    /**
     * @return the document's tree; {@code MissingNode} for an empty document
     * @throws SpecException at {@link FieldError#DOCUMENT} (or the duplicated key's path) when unreadable;
     *         at the path of each YAML anchor and alias when it has any
     */
    static JsonNode read(String text) {
        if (text.length() > MAX_BYTES || text.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new SpecException(FieldError.DOCUMENT, "the document is larger than " + MAX_BYTES
                    + " bytes; a sweep spec is a few KB");
        }
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        boolean json = body.stripLeading().startsWith("{");
        String format = json ? "JSON" : "YAML";
        JsonNode tree;
        List<FieldError> anchors;
        try {
            tree = (json ? JSON : YAML).readTree(body);
            anchors = json ? List.of() : YamlAnchors.find(body);
        } catch (JsonProcessingException e) {
            throw new SpecException(pathOf(e), reason(e, format));
        } catch (RuntimeException unexpected) {
            // The YAML stack can fail outside its checked exceptions on odd input; it is still bad input.
            throw new SpecException(FieldError.DOCUMENT, "malformed " + format + ": "
                    + shorten(String.valueOf(unexpected.getMessage())));
        }
        if (!anchors.isEmpty()) {
            throw new SpecException(anchors);
        }
        return tree == null ? MissingNode.getInstance() : tree;
    }

    private static String reason(JsonProcessingException e, String format) {
        String message = String.valueOf(e.getOriginalMessage());
        if (isDuplicateKey(e)) {
            return "duplicate key" + at(e.getLocation()) + "; each key may appear once in a mapping";
        }
        if (message.startsWith("Trailing token")) {
            return format.equals("YAML")
                    ? "more than one YAML document" + at(e.getLocation()) + "; a sweep spec is a single document"
                    : "unexpected content" + at(e.getLocation()) + " after the end of the JSON object";
        }
        if (e.getCause() instanceof MarkedYAMLException yaml) {
            String context = yaml.getContext() == null ? "" : yaml.getContext() + at(yaml.getContextMark()) + ": ";
            return "malformed YAML" + at(yaml.getProblemMark()) + ": " + shorten(context + yaml.getProblem());
        }
        return "malformed " + format + at(e.getLocation()) + ": " + shorten(message);
    }

    private static boolean isDuplicateKey(JsonProcessingException e) {
        return e instanceof StreamReadException read && read.getProcessor() != null
                && e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
    }

    /** The path of a duplicate key; {@link FieldError#DOCUMENT} for any other read failure. */
    private static String pathOf(JsonProcessingException e) {
        if (!isDuplicateKey(e)) {
            return FieldError.DOCUMENT;
        }
        JsonParser parser = ((StreamReadException) e).getProcessor();
        Deque<String> segments = new ArrayDeque<>();
        for (JsonStreamContext ctx = parser.getParsingContext(); ctx != null && !ctx.inRoot(); ctx = ctx.getParent()) {
            if (ctx.inObject() && ctx.getCurrentName() != null) {
                segments.addFirst("." + Describe.key(ctx.getCurrentName()));
            } else if (ctx.inArray()) {
                segments.addFirst("[" + Math.max(0, ctx.getCurrentIndex()) + "]");
            }
        }
        String path = String.join("", segments);
        return path.startsWith(".") ? path.substring(1) : FieldError.DOCUMENT;
    }

    private static String at(Mark mark) {
        return mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String shorten(String message) {
        String oneLine = message == null ? "unreadable" : message.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_REASON_CHARS ? oneLine : oneLine.substring(0, MAX_REASON_CHARS) + "...";
    }
}
