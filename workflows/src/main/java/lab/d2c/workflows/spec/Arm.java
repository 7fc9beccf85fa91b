package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One arm of a sweep: a grid point and a seed.
 *
 * @param index  position in the sweep (seeds vary fastest, then the last parameter)
 * @param name   readable and deterministic: {@code sweep/key=value/seed=N}
 * @param seed   the run seed
 * @param params the grid point: dotted key to value
 * @param config the complete nested config: preset, overrides, grid point and seed
 */
public record Arm(int index, String name, long seed, ObjectNode params, ObjectNode config) {
}
