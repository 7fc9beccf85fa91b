package lab.d2c.workflows.graph;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import lab.d2c.workflows.spec.ConfigSchema;

/**
 * {@code sample}: D2C generation (paper section 5.1): stage-one tokens with {@code stage1.sample}'s
 * settings, then stage two's MAR-style generation with {@code stage2.sample}'s, then the VAE
 * decoder; images to S3. With fusion {@code none} it is MAR's sampling and stage one is not used.
 * Reads the run seed.
 */
public final class SampleNode extends DeclaredNodeType {

    public static final String KIND = "sample";

    public SampleNode() {
        // 2: the head embeds each step's timestep once for all rows (float rounding may differ)
        // 3: stage2.learn_sigma, the sampler uses the head's learned variance by default
        super(KIND, 3, List.of(ConfigSchema.RUN_SEED, "stage2.sample", "stage1.sample.temperature", "stage1.sample.top_k",
                "stage1.sample.top_p", "stage1.sample.guidance_scale", "stage1.sample.guidance_tokens"));
    }

    @Override
    public boolean appliesTo(ObjectNode config) {
        return ArmGenerator.d2c(config) && config.has("stage2");
    }

    @Override
    public Map<String, String> inputs(ObjectNode config) {
        return TrainStage2Node.usesStage1(config)
                ? Map.of("stage2", TrainStage2Node.KIND, "stage1", TrainStage1Node.KIND, "vae", TrainVaeNode.KIND)
                : Map.of("stage2", TrainStage2Node.KIND, "vae", TrainVaeNode.KIND);
    }
}
