package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One cell of an expanded sweep: one grid point with one run seed.
 *
 * @param index  position in the sweep's expansion order, from 0
 * @param name   readable and deterministic, e.g. {@code demo-quick/data.train_size=1000/seed=0}
 * @param seed   the run seed
 * @param params this arm's grid point, flat: dotted key to value (every parameter, the run seed excluded)
 * @param config the complete nested config: preset, then the spec's config, then this grid point, then {@code seed}
 */
public record Arm(int index, String name, long seed, ObjectNode params, ObjectNode config) {

    public Arm {
        Objects.requireNonNull(name, "name");
        params = params.deepCopy();
        config = config.deepCopy();
    }

    /** A copy: the record stays unchanged whatever the caller does with it. */
    @Override
    public ObjectNode params() {
        return params.deepCopy();
    }

    /** A copy: the record stays unchanged whatever the caller does with it. */
    @Override
    public ObjectNode config() {
        return config.deepCopy();
    }
}
