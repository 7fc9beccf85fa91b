package lab.d2c.workflows.graph;

import java.util.List;

/**
 * {@code prepare-dataset}: reads the {@code data} section only, so arms that differ in any
 * other key (run seed, model, training) share one prepared dataset.
 */
public final class PrepareDatasetNode extends DeclaredNodeType {

    public static final String KIND = "prepare-dataset";

    public PrepareDatasetNode() {
        super(KIND, 1, List.of("data"));
    }
}
