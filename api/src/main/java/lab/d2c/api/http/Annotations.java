package lab.d2c.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The body of {@code PATCH /sweeps/{id}} and {@code PATCH /experiments/{id}}: {@code {"tags": [...], "note": "..."}},
 * either or both; a field left out stays as it is. Every error names its field, all of them at once.
 *
 * @param tags the new tags (replacing the old ones; duplicates dropped, order kept), null: unchanged
 * @param note the new note ("" clears it), null: unchanged
 */
record Annotations(List<String> tags, String note) {

    /** A tag: what fits a URL query and a shell word unquoted. */
    static final Pattern TAG = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    static final int MAX_TAGS = 32;
    static final int MAX_NOTE = 10_000;

    static Annotations parse(String body) {
        JsonNode root;
        try {
            root = ApiServer.JSON.readTree(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw invalid(List.of(field("<body>", "not JSON: " + e.getOriginalMessage())));
        } catch (IOException e) {
            throw invalid(List.of(field("<body>", "not JSON")));
        }
        if (root == null || !root.isObject()) {
            throw invalid(List.of(field("<body>", "expected a JSON object with tags, note or both")));
        }
        List<Map<String, String>> errors = new ArrayList<>();
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("tags") && !name.equals("note")) {
                errors.add(field(name, "unknown field; expected tags or note"));
            }
        }
        List<String> tags = root.has("tags") ? tags(root.get("tags"), errors) : null;
        String note = null;
        if (root.has("note")) {
            JsonNode n = root.get("note");
            if (!n.isTextual()) {
                errors.add(field("note", "expected a string (\"\" clears it)"));
            } else if (n.asText().length() > MAX_NOTE) {
                errors.add(field("note", "at most " + MAX_NOTE + " characters, got " + n.asText().length()));
            } else {
                note = n.asText();
            }
        }
        if (errors.isEmpty() && !root.has("tags") && !root.has("note")) {
            errors.add(field("<body>", "nothing to change: send tags, note or both"));
        }
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
        return new Annotations(tags, note);
    }

    private static List<String> tags(JsonNode node, List<Map<String, String>> errors) {
        if (!node.isArray()) {
            errors.add(field("tags", "expected an array of strings ([] clears them)"));
            return null;
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode t = node.get(i);
            String reason = tagProblem(t.isTextual() ? t.asText() : null);
            if (reason != null) {
                errors.add(field("tags[" + i + "]", reason));
            } else {
                out.add(t.asText());
            }
        }
        if (out.size() > MAX_TAGS) {
            errors.add(field("tags", "at most " + MAX_TAGS + " tags, got " + out.size()));
        }
        return List.copyOf(out);
    }

    /** Why {@code tag} is no tag, or null when it is one. */
    static String tagProblem(String tag) {
        if (tag == null) {
            return "expected a string";
        }
        return TAG.matcher(tag).matches() ? null : "a tag is 1 to 64 characters of A-Z a-z 0-9 . _ : -";
    }

    private static Map<String, String> field(String path, String reason) {
        return Map.of("path", path, "reason", reason);
    }

    private static ApiError invalid(List<Map<String, String>> fields) {
        return new ApiError(400, "invalid_body", "invalid tags or note: " + fields.get(0).get("path") + ": "
                + fields.get(0).get("reason") + (fields.size() > 1 ? " (and " + (fields.size() - 1) + " more)" : ""),
                fields);
    }
}
