package lab.d2c.workers.node;

/** The work of one node kind. Thin: load inputs from the stores, call model-lib, write outputs. */
public interface NodeExecutor {

    /** The node kind this executes; matches a {@code NodeType} of the graph. */
    String kind();

    /**
     * Runs the node. Throw {@link BadNodeInputException} for errors retrying cannot fix;
     * anything else is retried by Temporal.
     */
    NodeOutput execute(NodeContext context) throws Exception;
}
