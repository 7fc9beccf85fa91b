package lab.d2c.workflows.spec;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

/**
 * Finds YAML anchors ({@code &x}) and aliases ({@code *x}), each at the path of its node. Jackson
 * reads an alias as the anchor's <em>name</em> ({@code data.path: *d} becomes "d"), so a spec
 * would silently mean something else than it says; they are refused instead. This reads
 * SnakeYAML's events because Jackson's {@code getObjectId()} loses the anchor of a scalar.
 */
final class YamlAnchors {

    static final String ANCHOR = "YAML anchors are not supported (write the value out where it is used)";
    static final String ALIAS = "YAML aliases are not supported (write the value out)";

    private YamlAnchors() {
    }

    /**
     * The anchors and aliases of a document that Jackson has read without error (so every mapping
     * key is a plain scalar), in document order; empty when there are none.
     */
    static List<FieldError> find(String yaml) {
        List<FieldError> found = new ArrayList<>();
        Deque<Container> open = new ArrayDeque<>();
        for (Event event : new Yaml(new LoaderOptions()).parse(new StringReader(yaml))) {
            if (event instanceof CollectionEndEvent) {
                open.pop();
                done(open.peek());
            } else if (event instanceof NodeEvent node) {
                Container parent = open.peek();
                String path = parent == null ? "" : parent.childPath(node);
                String where = path.isEmpty() ? FieldError.DOCUMENT : path;
                if (node instanceof AliasEvent) {
                    found.add(new FieldError(where, ALIAS));
                } else if (node.getAnchor() != null) {
                    found.add(new FieldError(where, ANCHOR));
                }
                if (parent != null && parent.expectsKey() && node instanceof ScalarEvent key) {
                    parent.key = key.getValue();
                } else if (node instanceof MappingStartEvent || node instanceof SequenceStartEvent) {
                    open.push(new Container(path, node instanceof MappingStartEvent));
                } else {
                    done(parent);
                }
            }
        }
        return found;
    }

    /** A node inside {@code parent} is complete: a mapping now waits for its next key, a list for its next item. */
    private static void done(Container parent) {
        if (parent == null) {
            return;
        }
        if (parent.mapping) {
            parent.key = parent.expectsKey() ? "?" : null;
        } else {
            parent.index++;
        }
    }

    /** An open mapping or list: its path and where in it the next node goes. */
    private static final class Container {
        private final String path;
        private final boolean mapping;
        private String key;
        private int index;

        Container(String path, boolean mapping) {
            this.path = path;
            this.mapping = mapping;
        }

        boolean expectsKey() {
            return mapping && key == null;
        }

        /** The path of a node in this container; a key is named by its own text. */
        String childPath(NodeEvent node) {
            if (!mapping) {
                return path + "[" + index + "]";
            }
            String segment = expectsKey() ? (node instanceof ScalarEvent s ? s.getValue() : "?") : key;
            return path.isEmpty() ? Describe.key(segment) : path + "." + Describe.key(segment);
        }
    }
}
