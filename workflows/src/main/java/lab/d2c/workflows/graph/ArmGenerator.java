package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * Which generator family an arm runs ({@code generator}): D2C's graph (tokenizers, stage one, stage two; MAR
 * and the discrete-only baseline are D2C arms) or RDPM's (its tokenizer, recurrent token predictor and sampler).
 * Each family's node kinds apply only to its arms; the dataset, classifier, reference statistics and
 * evaluation belong to both, so arms of both families in one sweep share them. No node reads the key itself,
 * so choosing the family changes which nodes are planned, never a shared node's key.
 */
public final class ArmGenerator {

    private ArmGenerator() {
    }

    /** Whether the arm runs RDPM's graph. */
    public static boolean rdpm(ObjectNode config) {
        return config.path(ConfigSchema.GENERATOR).asText(ConfigSchema.GENERATOR_D2C).equals(ConfigSchema.GENERATOR_RDPM);
    }

    /** Whether the arm runs D2C's graph (the default when the key is absent). */
    public static boolean d2c(ObjectNode config) {
        return !rdpm(config);
    }
}
