package lab.d2c.workflows.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Sweep files shipped in the jar ({@code sweeps/<name>.yaml}). */
public final class BundledSweeps {

    /** {@code demo}: the quick sweep of ./d2c demo on Fashion-MNIST; {@code smoke}: the same on shapes. */
    public static final List<String> NAMES = List.of("demo", "smoke");

    private BundledSweeps() {
    }

    public static String read(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown bundled sweep '" + name + "'; known: " + NAMES);
        }
        try (InputStream in = BundledSweeps.class.getResourceAsStream("/sweeps/" + name + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("sweeps/" + name + ".yaml is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
