package lab.d2c.workflows.graph;

import java.util.List;

/**
 * {@code prepare-dataset}: reads the {@code data} section only, so arms that differ in any
 * other key (run seed, model, training) share one prepared dataset.
 */
public final class PrepareDatasetNode implements NodeType {

    public static final String KIND = "prepare-dataset";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public int codeVersion() {
        return 1;
    }

    @Override
    public List<String> configPaths() {
        return List.of("data");
    }
}
