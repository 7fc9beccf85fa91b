package lab.d2c.app.setup;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Installs missing Debian packages when this process is allowed to, and otherwise says why not and what
 * to run. The decision (what is missing? root? passwordless sudo? apt-get at all?) is separate from
 * running commands, which all go through a {@link Runner} so that tests drive every branch with a fake.
 *
 * <p>This file uses the JDK only, on purpose: {@code ./d2c test} runs it as a single-file program
 * ({@code java AptInstall.java test}) before Maven has built anything, so the test prerequisites live
 * here, in one place, next to the demo's and the benchmarks' use of the same logic.
 */
public final class AptInstall {

    /** Exit status of {@link #main} when something the tests need is missing and could not be installed. */
    public static final int MISSING = 3;

    /**
     * The C compiler {@code ./d2c} builds native/fused-optimizer with, and native/mkl-intel-path on AMD, for every
     * command; a test need too. Declared before {@link #TEST_NEEDS}, which lists it.
     */
    public static final Need C_COMPILER = Need.probe("gcc", "./d2c builds native/fused-optimizer (AdamW and the "
            + "EMA in one pass, which FusedKernelsTest checks) and native/mkl-intel-path with it (MKL's AVX2/AVX-512 "
            + "kernels on AMD), which MklKernelsTest and the AMD digests of the bit-for-bit tests expect",
            "sh", "-c", "command -v cc");

    /**
     * What the full test suite needs beyond Maven and a JDK. Each probe is what the test itself looks
     * at, so a pip-installed scipy or a hand-placed chromium counts as present.
     */
    public static final List<Need> TEST_NEEDS = List.of(
            Need.probe("python3-scipy", "FrechetDistanceTest checks FID against pytorch-fid's scipy.linalg.sqrtm",
                    "python3", "-c", "import numpy, scipy.linalg"),
            Need.probe("python3-numpy", "FrechetDistanceTest's scipy reference reads .npy files with numpy",
                    "python3", "-c", "import numpy"),
            Need.probe("python3-torch", "ClassifierTorchForwardTest runs the classifier's forward pass in PyTorch "
                    + "from its safetensors export (with python3 on the PATH, else Debian's /usr/bin/python3)",
                    "sh", "-c", "python3 -c 'import torch' || /usr/bin/python3 -c 'import torch'"),
            Need.probe("chromium", "BrowserPagesTest drives the pages in headless chromium",
                    "test", "-x", "/usr/bin/chromium"),
            Need.probe("chromium-driver", "BrowserPagesTest talks to chromium through chromedriver",
                    "test", "-x", "/usr/bin/chromedriver"),
            Need.probe("postgresql-client", "LocalModeSecurityTest probes the embedded PostgreSQL with psql",
                    "test", "-x", "/usr/bin/psql"),
            Need.probe("util-linux", "LocalModeSecurityTest connects as another uid with setpriv",
                    "test", "-x", "/usr/bin/setpriv"),
            Need.probe("docker-compose", "the compose file is validated with docker-compose config",
                    "sh", "-c", "command -v docker-compose"),
            Need.probe("dataset-fashion-mnist", "the Fashion-MNIST loader and classifier tests read the real data set",
                    "test", "-d", "/usr/share/datasets/fashion-mnist"),
            C_COMPILER);

    /** Runs one command; {@code show} lets its output through to the user (apt's progress and errors). */
    public interface Runner {
        Result run(List<String> command, boolean show) throws IOException, InterruptedException;
    }

    /** A finished command: exit status (127 when the program does not exist) and captured output. */
    public record Result(int exitCode, String output) {
    }

    /**
     * A Debian package and why it is wanted. Present when {@code probe} exits 0; without a probe, when
     * dpkg says "install ok installed" (an unpacked or removed-with-config package is not installed).
     */
    public record Need(String pkg, String why, List<String> probe) {

        public static Need of(String pkg, String why) {
            return new Need(pkg, why, List.of());
        }

        public static Need probe(String pkg, String why, String... probe) {
            return new Need(pkg, why, List.of(probe));
        }
    }

    /** Who may run apt-get here. */
    public enum Privilege { ROOT, SUDO, NONE }

    /**
     * The decision for a list of needs: {@code missing} packages; the {@code command} that installs them
     * (empty when nothing is missing or when it cannot run); else {@code impossible}, the reason.
     */
    public record Plan(List<Need> missing, List<String> command, String impossible) {

        public boolean nothingToDo() {
            return missing.isEmpty();
        }

        public boolean possible() {
            return impossible == null;
        }

        /** The packages, space-separated, as apt-get takes them. */
        public String packages() {
            return missing.stream().map(Need::pkg).distinct().collect(Collectors.joining(" "));
        }

        /** The command a person runs to fix what this process could not. */
        public String fix() {
            return "sudo apt-get install -y " + packages();
        }
    }

    /** How {@link #ensure} ended: {@code stillMissing} is empty on success, else {@code reason} says why. */
    public record Outcome(List<Need> stillMissing, String reason, String fix) {

        public boolean ok() {
            return stillMissing.isEmpty();
        }
    }

    private final Runner runner;
    private final PrintStream out;
    private final String who;

    /** {@code who} prefixes every line printed ("d2c demo"), as the rest of the CLI does. */
    public AptInstall(Runner runner, PrintStream out, String who) {
        this.runner = runner;
        this.out = out;
        this.who = who;
    }

    /** Against this machine's real commands. */
    public static AptInstall system(PrintStream out, String who) {
        return new AptInstall(AptInstall::runProcess, out, who);
    }

    /** Whether the need is met now. */
    public boolean present(Need need) throws IOException, InterruptedException {
        if (!need.probe().isEmpty()) {
            return runner.run(need.probe(), false).exitCode() == 0;
        }
        Result r = runner.run(List.of("dpkg-query", "-W", "-f=${Status}", need.pkg()), false);
        return r.exitCode() == 0 && r.output().trim().equals("install ok installed");
    }

    /** The needs not met now, in order. */
    public List<Need> missing(List<Need> needs) throws IOException, InterruptedException {
        List<Need> missing = new ArrayList<>();
        for (Need n : needs) {
            if (!present(n)) {
                missing.add(n);
            }
        }
        return missing;
    }

    /** root by uid, else sudo that asks for no password ({@code sudo -n true}), else none. */
    public Privilege privilege() throws IOException, InterruptedException {
        Result id = runner.run(List.of("id", "-u"), false);
        if (id.exitCode() == 0 && id.output().trim().equals("0")) {
            return Privilege.ROOT;
        }
        return runner.run(List.of("sudo", "-n", "true"), false).exitCode() == 0 ? Privilege.SUDO : Privilege.NONE;
    }

    /** Decides, runs nothing but probes. */
    public Plan plan(List<Need> needs) throws IOException, InterruptedException {
        List<Need> missing = missing(needs);
        if (missing.isEmpty()) {
            return new Plan(missing, List.of(), null);
        }
        if (runner.run(List.of("sh", "-c", "command -v apt-get"), false).exitCode() != 0) {
            return new Plan(missing, List.of(), "no apt-get here (not a Debian or Ubuntu system)");
        }
        Privilege p = privilege();
        if (p == Privilege.NONE) {
            return new Plan(missing, List.of(), "not root, and sudo is absent or asks for a password");
        }
        List<String> command = new ArrayList<>();
        if (p == Privilege.SUDO) {
            command.addAll(List.of("sudo", "-n"));
        }
        // env, not the process environment: sudo drops variables it is not told to keep
        command.addAll(List.of("env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q"));
        missing.stream().map(Need::pkg).distinct().forEach(command::add);
        return new Plan(missing, List.copyOf(command), null);
    }

    /**
     * Installs what is missing when it may, printing what it runs; on failure tries once more after
     * {@code apt-get update} (a fresh machine often has no package lists), then checks the needs again.
     */
    public Outcome ensure(List<Need> needs) throws IOException, InterruptedException {
        Plan plan = plan(needs);
        if (plan.nothingToDo()) {
            return new Outcome(List.of(), null, null);
        }
        if (!plan.possible()) {
            return new Outcome(plan.missing(), plan.impossible(), plan.fix());
        }
        boolean sudo = plan.command().get(0).equals("sudo");
        out.println(who + ": installing Debian's " + plan.packages() + " (" + (sudo ? "sudo " : "")
                + "apt-get install -y " + plan.packages() + ")...");
        int rc = runner.run(plan.command(), true).exitCode();
        if (rc != 0) {
            out.println(who + ": apt-get install failed (exit " + rc + "); updating the package lists and trying again");
            List<String> update = new ArrayList<>(plan.command().subList(0, plan.command().indexOf("apt-get")));
            update.addAll(List.of("apt-get", "update", "-q"));
            runner.run(update, true);
            rc = runner.run(plan.command(), true).exitCode();
        }
        List<Need> still = missing(plan.missing());
        if (still.isEmpty()) {
            return new Outcome(List.of(), null, null);
        }
        String reason = rc != 0
                ? "apt-get install failed (exit " + rc + "; offline, or the package is not in the configured sources)"
                : "apt-get installed " + plan.packages() + " but the check still fails for "
                        + still.stream().map(Need::pkg).collect(Collectors.joining(" "));
        return new Outcome(still, reason, new Plan(still, List.of(), reason).fix());
    }

    /** Runs for real: output captured, or shown when asked; a program that does not exist is exit 127. */
    static Result runProcess(List<String> command, boolean show) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (show) {
            pb.redirectOutput(ProcessBuilder.Redirect.INHERIT);
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        String output = show ? "" : new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), output);
    }

    /**
     * {@code java AptInstall.java test [--check]}: installs what the test suite needs ({@code --check}:
     * only says what is missing). Exits 0 when everything is there, {@value #MISSING} when not.
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("cc")) {
            Outcome o = system(System.out, "d2c").ensure(List.of(C_COMPILER));
            if (!o.ok()) {
                System.err.println("d2c: no C compiler: " + o.reason() + "; fix: " + o.fix());
            }
            System.exit(o.ok() ? 0 : MISSING);
        }
        if (args.length == 0 || !args[0].equals("test")) {
            System.err.println("usage: java AptInstall.java test [--check] | cc");
            System.exit(2);
        }
        boolean check = args.length > 1 && args[1].equals("--check");
        System.exit(forTests(system(System.out, "d2c test"), check));
    }

    /** The test suite's set-up; what {@link #main} does, returning its exit status. */
    public static int forTests(AptInstall apt, boolean checkOnly) throws IOException, InterruptedException {
        List<Need> missing;
        String reason;
        String fix;
        if (checkOnly) {
            Plan plan = apt.plan(TEST_NEEDS);
            missing = plan.missing();
            reason = plan.possible() ? "--check: nothing installed" : plan.impossible();
            fix = plan.nothingToDo() ? null : plan.fix();
        } else {
            Outcome o = apt.ensure(TEST_NEEDS);
            missing = o.stillMissing();
            reason = o.reason();
            fix = o.fix();
        }
        if (missing.isEmpty()) {
            apt.out.println(apt.who + ": every test prerequisite is installed");
            return 0;
        }
        apt.out.println(apt.who + ": missing, so the tests that need it will FAIL: " + reason);
        for (Need n : missing) {
            apt.out.println("  " + n.pkg() + ": " + n.why());
        }
        apt.out.println(apt.who + ": fix: " + fix);
        return MISSING;
    }
}
