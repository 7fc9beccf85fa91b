package lab.d2c.workflows.node;

import java.util.Map;

/**
 * The work order of one node.
 *
 * @param key         node key (also the node workflow's id)
 * @param kind        node kind; the worker dispatches on it
 * @param codeVersion the kind's code version the key was computed with
 * @param configJson  the config slice the node reads, as JSON
 * @param inputs      input name to the result of the node providing it
 */
public record NodeTask(String key, String kind, int codeVersion, String configJson, Map<String, NodeResult> inputs) {

    public NodeResult input(String name) {
        NodeResult r = inputs.get(name);
        if (r == null) {
            throw new IllegalStateException("node " + key + " has no input '" + name + "'; it has " + inputs.keySet());
        }
        return r;
    }
}
