package lab.d2c.workers.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * @param artifacts role to object key
 * @param result    a small JSON summary stored with the node
 */
public record NodeOutput(Map<String, String> artifacts, ObjectNode result) {
}
