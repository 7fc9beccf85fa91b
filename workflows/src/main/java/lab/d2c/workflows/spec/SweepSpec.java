package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A validated sweep.
 *
 * @param name        sweep name
 * @param description free text, or null
 * @param preset      the preset it starts from
 * @param method      always {@code grid}
 * @param config      the resolved base config: preset plus overrides, nested
 * @param parameters  the grid: dotted key to its values, in file order
 * @param seeds       run seeds
 */
public record SweepSpec(String name, String description, String preset, String method, ObjectNode config,
        LinkedHashMap<String, List<JsonNode>> parameters, List<Long> seeds) {

    /** Grid points times seeds. Long, so a huge grid reports its size instead of overflowing. */
    public long armCount() {
        long n = seeds.size();
        for (List<JsonNode> values : parameters.values()) {
            n = Math.multiplyExact(n, values.size());
        }
        return n;
    }

    /** The arms, in order: the last parameter varies fastest, and seeds fastest of all. */
    public List<Arm> expand(int maxArms) {
        long count = armCount();
        if (count > maxArms) {
            throw new SpecException("parameters", "the grid has " + count + " arms (values x seeds); the cap is " + maxArms);
        }
        List<Map.Entry<String, List<JsonNode>>> dims = new ArrayList<>(parameters.entrySet());
        List<Arm> arms = new ArrayList<>();
        int points = (int) (count / seeds.size());
        for (int p = 0; p < points; p++) {
            ObjectNode params = JsonNodeFactory.instance.objectNode();
            int rest = p;
            int[] pick = new int[dims.size()];
            for (int d = dims.size() - 1; d >= 0; d--) {
                int size = dims.get(d).getValue().size();
                pick[d] = rest % size;
                rest /= size;
            }
            StringBuilder label = new StringBuilder(name);
            for (int d = 0; d < dims.size(); d++) {
                JsonNode v = dims.get(d).getValue().get(pick[d]);
                params.set(dims.get(d).getKey(), v);
                label.append('/').append(dims.get(d).getKey()).append('=').append(v.isTextual() ? v.asText() : v.toString());
            }
            for (long seed : seeds) {
                ObjectNode cfg = config.deepCopy();
                params.fields().forEachRemaining(e -> ConfigTree.set(cfg, e.getKey(), e.getValue().deepCopy()));
                cfg.put(ConfigSchema.SEED, seed);
                arms.add(new Arm(arms.size(), label + "/seed=" + seed, seed, params.deepCopy(), cfg));
            }
        }
        return arms;
    }
}
