package lab.d2c.workflows.graph;

import java.util.List;

/**
 * A node type whose kind, code version and config slice are fixed values: every standard kind. A
 * subclass passes them to the constructor and overrides only {@link #appliesTo} and {@link #inputs}
 * where it has inputs or conditions.
 */
abstract class DeclaredNodeType implements NodeType {

    private final String kind;
    private final int codeVersion;
    private final List<String> configPaths;

    DeclaredNodeType(String kind, int codeVersion, List<String> configPaths) {
        this.kind = kind;
        this.codeVersion = codeVersion;
        this.configPaths = List.copyOf(configPaths);
    }

    @Override
    public final String kind() {
        return kind;
    }

    @Override
    public final int codeVersion() {
        return codeVersion;
    }

    @Override
    public final List<String> configPaths() {
        return configPaths;
    }
}
