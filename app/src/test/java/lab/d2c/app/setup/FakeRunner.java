package lab.d2c.app.setup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A machine for {@link AptInstall} that exists only in memory: commands answer from a table (or a
 * function, for answers that change as "packages" get installed), every call is logged, and an
 * unknown program answers 127 as a missing one does. Nothing here runs a real command.
 */
public final class FakeRunner implements AptInstall.Runner {

    private final Map<String, AptInstall.Result> answers = new HashMap<>();
    private final List<Function<List<String>, AptInstall.Result>> handlers = new ArrayList<>();
    public final List<String> calls = new ArrayList<>();

    /** Answers {@code command} (words joined by spaces) with this exit status and output. */
    public FakeRunner answer(String command, int exitCode, String output) {
        answers.put(command, new AptInstall.Result(exitCode, output));
        return this;
    }

    /** Asked before the table; returns null to pass. */
    public FakeRunner handler(Function<List<String>, AptInstall.Result> handler) {
        handlers.add(handler);
        return this;
    }

    /** A machine where this process is root and apt-get exists. */
    public FakeRunner root() {
        return answer("id -u", 0, "0\n").answer("sh -c command -v apt-get", 0, "/usr/bin/apt-get\n");
    }

    /** A machine where this process is an ordinary user without sudo, and apt-get exists. */
    public FakeRunner userWithoutSudo() {
        return answer("id -u", 0, "1000\n").answer("sudo -n true", 1, "sudo: a password is required\n")
                .answer("sh -c command -v apt-get", 0, "/usr/bin/apt-get\n");
    }

    /** What the real dpkg-query prints for a package it has never heard of (checked against dpkg 1.21). */
    public FakeRunner absent(String pkg) {
        return answer("dpkg-query -W -f=${Status} " + pkg, 1, "dpkg-query: no packages found matching " + pkg + "\n");
    }

    public FakeRunner installed(String pkg) {
        return answer("dpkg-query -W -f=${Status} " + pkg, 0, "install ok installed");
    }

    @Override
    public AptInstall.Result run(List<String> command, boolean show) {
        String line = String.join(" ", command);
        calls.add(line);
        for (Function<List<String>, AptInstall.Result> h : handlers) {
            AptInstall.Result r = h.apply(command);
            if (r != null) {
                return r;
            }
        }
        return answers.getOrDefault(line, new AptInstall.Result(127, command.get(0) + ": not found"));
    }
}
