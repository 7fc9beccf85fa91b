package lab.d2c.workflows.graph;

import java.util.Map;

/**
 * One planned node of an arm's graph.
 *
 * @param key         content hash key, also the node's workflow id
 * @param kind        node kind
 * @param codeVersion the kind's code version
 * @param configJson  canonical JSON of the config slice the node reads
 * @param inputKeys   input name to the key of the node providing it
 */
public record GraphNode(String key, String kind, int codeVersion, String configJson, Map<String, String> inputKeys) {
}
