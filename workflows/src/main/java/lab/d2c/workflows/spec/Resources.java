package lab.d2c.workflows.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Reads text files bundled on the classpath next to this package's classes. */
final class Resources {

    private Resources() {
    }

    /** The UTF-8 text of a classpath resource, e.g. {@code presets/tiny.yaml}. */
    static String text(String resource) {
        try (InputStream in = Resources.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + resource + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read bundled resource " + resource, e);
        }
    }
}
