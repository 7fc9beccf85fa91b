package lab.d2c.store.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The git commit this build was made from. Maven writes {@code build.properties} next to this class
 * (store/pom.xml, antrun running {@code git rev-parse HEAD}), so the value travels inside the jar and
 * needs no checkout at run time. A build outside a git checkout says {@code unknown}.
 */
public final class BuildInfo {

    /** The value when the build could not ask git. */
    public static final String UNKNOWN = "unknown";

    private static final String COMMIT = load();

    private BuildInfo() {
    }

    /** The 40-hex commit of the build, or {@link #UNKNOWN}. */
    public static String commit() {
        return COMMIT;
    }

    private static String load() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return UNKNOWN;
            }
            Properties p = new Properties();
            p.load(in);
            String c = p.getProperty("commit", "").trim();
            return c.matches("[0-9a-f]{40}") ? c : UNKNOWN;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build's commit", e);
        }
    }
}
