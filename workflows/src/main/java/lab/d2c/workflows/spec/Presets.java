package lab.d2c.workflows.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** Base configs a sweep starts from: {@code presets/<name>.yaml} on the classpath. */
public final class Presets {

    /** Every preset: {@code tiny} (32x32, for 2 cores) and {@code b} (256x256, for GPUs). */
    public static final List<String> NAMES = List.of("tiny", "b");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Presets() {
    }

    /** A fresh copy of a preset's nested config. */
    public static ObjectNode load(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown preset '" + name + "'; known: " + NAMES);
        }
        try (InputStream in = Presets.class.getResourceAsStream("/presets/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("preset resource presets/" + name + ".yaml is missing from the build");
            }
            return (ObjectNode) YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
