package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A validated sweep: a grid over config keys, times run seeds, over a resolved base config.
 * Made by {@link SweepSpecParser}; {@link #expand(int)} turns it into arms.
 *
 * @param name        the sweep's name, {@code [a-z0-9][a-z0-9-]{0,62}}
 * @param description free text; empty when not given
 * @param preset      the preset the config starts from
 * @param method      the search method; always {@code grid}
 * @param config      the resolved base config, nested: the preset with the spec's {@code config}
 *                    overrides applied; its {@code seed} is replaced by each arm's run seed
 * @param parameters  the grid: dotted config key to its values, in file order (a fixed
 *                    {@code value} is a one-value list)
 * @param seeds       the run seeds, in file order, without duplicates
 * @param variants    the entries of the spec's {@code arms} list, in file order; empty without one
 * @param seedKeys    seed keys (such as {@code stage2.seed}) that each arm sets to its run seed as
 *                    well; empty by default, when the run seed reaches only the sampling nodes and every
 *                    seed of an arm shares its trained models
 */
public record SweepSpec(String name, String description, String preset, String method, ObjectNode config,
        LinkedHashMap<String, List<JsonNode>> parameters, List<Long> seeds, List<Variant> variants,
        List<String> seedKeys) {

    /**
     * One entry of the spec's {@code arms} list: a named set of config overrides, for ablations that
     * are a list of arms rather than a grid (a baseline next to variants that change several keys).
     *
     * @param name      the entry's name, part of the arm names
     * @param overrides dotted config key to value, in file order
     */
    public record Variant(String name, LinkedHashMap<String, JsonNode> overrides) {

        public Variant {
            Objects.requireNonNull(name, "name");
            LinkedHashMap<String, JsonNode> copy = new LinkedHashMap<>();
            overrides.forEach((k, v) -> copy.put(k, v.deepCopy()));
            overrides = copy;
        }
    }

    /** A grid without an arms list, whose seeds vary the sampling only. */
    public SweepSpec(String name, String description, String preset, String method, ObjectNode config,
            LinkedHashMap<String, List<JsonNode>> parameters, List<Long> seeds) {
        this(name, description, preset, method, config, parameters, seeds, List.of(), List.of());
    }

    /** The params key that holds an arm's entry name when the spec has an arms list. */
    public static final String ARM_PARAM = "arm";

    public SweepSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(preset, "preset");
        Objects.requireNonNull(method, "method");
        config = config.deepCopy();
        parameters = copy(parameters);
        seeds = List.copyOf(seeds);
        variants = List.copyOf(variants);
        seedKeys = List.copyOf(seedKeys);
        if (seeds.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one seed");
        }
        parameters.forEach((key, values) -> {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("parameter " + key + " has no values");
            }
        });
    }

    /** A copy: the record stays unchanged whatever the caller does with it. */
    @Override
    public ObjectNode config() {
        return config.deepCopy();
    }

    /** A copy: the record stays unchanged whatever the caller does with it. */
    @Override
    public LinkedHashMap<String, List<JsonNode>> parameters() {
        return copy(parameters);
    }

    /** Grid points times seeds; {@link Integer#MAX_VALUE} when the grid is larger than that. */
    public int armCount() {
        return exactArmCount().min(BigInteger.valueOf(Integer.MAX_VALUE)).intValueExact();
    }

    /**
     * The arms: the entries of the {@code arms} list (slowest; one unnamed entry when there is
     * none), times the cartesian product of the parameter values in file order (the last parameter
     * varies fastest), times the seeds (which vary fastest of all).
     *
     * @param maxArms the most arms allowed
     * @throws SpecException at path {@code parameters} when there are more than {@code maxArms}
     */
    public List<Arm> expand(int maxArms) {
        requireWithinCap(maxArms);
        List<String> keys = new ArrayList<>(parameters.keySet());
        int count = armCount();
        List<Arm> arms = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            long seed = seeds.get(index % seeds.size());
            int rest = index / seeds.size();
            JsonNode[] point = new JsonNode[keys.size()];
            for (int k = keys.size() - 1; k >= 0; k--) {
                List<JsonNode> values = parameters.get(keys.get(k));
                point[k] = values.get(rest % values.size());
                rest /= values.size();
            }
            arms.add(arm(index, variants.isEmpty() ? null : variants.get(rest), keys, point, seed));
        }
        return arms;
    }

    /**
     * @throws SpecException at path {@code parameters} when the sweep has more than {@code maxArms} arms
     */
    void requireWithinCap(int maxArms) {
        if (maxArms < 1) {
            throw new IllegalArgumentException("maxArms must be at least 1, got " + maxArms);
        }
        BigInteger arms = exactArmCount();
        if (arms.compareTo(BigInteger.valueOf(maxArms)) > 0) {
            String factors = parameters.values().stream().map(v -> String.valueOf(v.size()))
                    .collect(Collectors.joining(" x "));
            String shape = (variants.isEmpty() ? "" : variants.size() + " arms entries x ")
                    + (factors.isEmpty() ? "" : factors + " values x ") + seeds.size()
                    + (seeds.size() == 1 ? " seed" : " seeds");
            throw new SpecException("parameters", "the grid has " + arms + " arms (" + shape + "); the cap is "
                    + maxArms + " arms");
        }
    }

    private Arm arm(int index, Variant variant, List<String> keys, JsonNode[] point, long seed) {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        ObjectNode armConfig = config.deepCopy();
        StringBuilder armName = new StringBuilder(name);
        if (variant != null) {
            params.put(ARM_PARAM, variant.name());
            armName.append('/').append(variant.name());
            variant.overrides().forEach((key, value) -> {
                params.set(key, value.deepCopy());
                ConfigTree.put(armConfig, key, value.deepCopy());
            });
        }
        for (int k = 0; k < keys.size(); k++) {
            String key = keys.get(k);
            params.set(key, point[k]);
            ConfigTree.put(armConfig, key, point[k]);
            if (parameters.get(key).size() > 1) {
                armName.append('/').append(key).append('=').append(point[k].isTextual() ? point[k].asText() : point[k]);
            }
        }
        armConfig.set(ConfigSchema.RUN_SEED, ConfigField.wholeNumberNode(seed));
        // seed_keys: the trainers named there train once per run seed, so the seeds' spread holds
        // training variation as well as sampling variation (the parser refuses these keys elsewhere)
        for (String key : seedKeys) {
            ConfigTree.put(armConfig, key, ConfigField.wholeNumberNode(seed));
        }
        armName.append("/seed=").append(seed);
        return new Arm(index, armName.toString(), seed, params, armConfig);
    }

    private BigInteger exactArmCount() {
        BigInteger product = BigInteger.valueOf(seeds.size()).multiply(BigInteger.valueOf(Math.max(1, variants.size())));
        for (List<JsonNode> values : parameters.values()) {
            product = product.multiply(BigInteger.valueOf(values.size()));
        }
        return product;
    }

    private static LinkedHashMap<String, List<JsonNode>> copy(Map<String, List<JsonNode>> parameters) {
        LinkedHashMap<String, List<JsonNode>> out = new LinkedHashMap<>();
        parameters.forEach((key, values) -> out.put(Objects.requireNonNull(key, "parameter key"),
                values.stream().map(v -> (JsonNode) v.deepCopy()).toList()));
        return out;
    }
}
