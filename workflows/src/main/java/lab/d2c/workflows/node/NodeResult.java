package lab.d2c.workflows.node;

import java.util.Map;

/**
 * What a finished node hands downstream: object keys and small numbers, never tensors.
 *
 * @param key        node key
 * @param kind       node kind
 * @param artifacts  role (e.g. {@code manifest}) to object key in the artifact store
 * @param resultJson small JSON summary (counts, hashes, metrics)
 * @param cacheHit   true when this requester did not run the node itself
 */
public record NodeResult(String key, String kind, Map<String, String> artifacts, String resultJson, boolean cacheHit) {

    /** The same result as seen by a requester that found it already computed. */
    public NodeResult asCacheHit() {
        return new NodeResult(key, kind, artifacts, resultJson, true);
    }

    /** The object key of an artifact role; fails clearly if the node did not produce it. */
    public String artifact(String role) {
        String k = artifacts.get(role);
        if (k == null) {
            throw new IllegalStateException("node " + key + " has no artifact '" + role + "'; it has " + artifacts.keySet());
        }
        return k;
    }
}
