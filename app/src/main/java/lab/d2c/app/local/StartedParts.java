package lab.d2c.app.local;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What local mode started, stopped in reverse order: the API and the workers before the
 * servers they use, PostgreSQL last (a worker stopped after PostgreSQL would retry its SQL
 * until it gave up). Each stop is reported with its time, so the order can be checked.
 */
final class StartedParts implements AutoCloseable {

    private record Part(String name, AutoCloseable part) {
    }

    private final List<Part> parts = new ArrayList<>();
    private PrintStream out = new PrintStream(PrintStream.nullOutputStream());

    /** Where stops are reported (default: nowhere). */
    void reportTo(PrintStream out) {
        this.out = out;
    }

    <T extends AutoCloseable> T add(String name, T part) {
        parts.add(new Part(name, part));
        return part;
    }

    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            Part p = parts.get(i);
            try {
                p.part().close();
                out.println("  stopped    " + p.name() + " at " + Instant.now());
            } catch (Exception e) {
                System.err.println("d2c: stopping " + p.name() + ": " + e.getMessage());
            }
        }
        parts.clear();
        out.flush();
    }
}
