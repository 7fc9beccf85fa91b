package lab.d2c.workflows.spec;

import java.util.List;

/** The sweep files bundled on the classpath, {@code sweeps/<name>.yaml}: {@code demo}, {@code smoke}, {@code paper} and the rest of {@link #names()}. */
public final class BundledSweeps {

    /** Add a sweep's name here when adding its file. */
    private static final List<String> NAMES = List.of("demo", "smoke", "tokenizers", "stage1", "fusions", "full",
            "curves", "rdpm-tokenizer", "rdpm", "paper", "rdpm-paper");

    private BundledSweeps() {
    }

    public static List<String> names() {
        return NAMES;
    }

    /**
     * The text of a bundled sweep file.
     *
     * @param name {@code demo} (two seeds on Fashion-MNIST, one shared dataset) or {@code smoke}
     *             (the same on procedural shapes, for tests and machines without Fashion-MNIST)
     * @throws IllegalArgumentException when there is no such bundled sweep
     */
    public static String read(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException(Suggestions.withSuggestion("no bundled sweep '" + name
                    + "'; bundled sweeps: " + String.join(", ", NAMES), String.valueOf(name), NAMES));
        }
        return Resources.text("sweeps/" + name + ".yaml");
    }
}
