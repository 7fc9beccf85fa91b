package lab.d2c.app.setup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AptInstallTest {

    private static final AptInstall.Need SL = AptInstall.Need.of("sl", "a steam locomotive");
    private static final String INSTALL_SL = "env DEBIAN_FRONTEND=noninteractive apt-get install -y -q sl";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void onlyInstallOkInstalledCountsAsInstalled() throws Exception {
        FakeRunner fake = new FakeRunner().absent("sl").installed("dpkg")
                .answer("dpkg-query -W -f=${Status} chromium", 0, "install ok unpacked")
                .answer("dpkg-query -W -f=${Status} cowsay", 0, "deinstall ok config-files");
        AptInstall apt = new AptInstall(fake, out, "t");
        assertThat(apt.present(SL)).isFalse();
        assertThat(apt.present(AptInstall.Need.of("dpkg", "x"))).isTrue();
        assertThat(apt.present(AptInstall.Need.of("chromium", "x"))).isFalse();
        assertThat(apt.present(AptInstall.Need.of("cowsay", "x"))).isFalse();
    }

    @Test
    void aProbeDecidesInsteadOfDpkg() throws Exception {
        FakeRunner fake = new FakeRunner().answer("python3 -c import scipy", 0, "");
        AptInstall apt = new AptInstall(fake, out, "t");
        assertThat(apt.present(AptInstall.Need.probe("python3-scipy", "x", "python3", "-c", "import scipy"))).isTrue();
        assertThat(fake.calls).containsExactly("python3 -c import scipy");
    }

    @Test
    void nothingMissingAsksNoPrivilegeAndRunsNothing() throws Exception {
        FakeRunner fake = new FakeRunner().installed("sl");
        AptInstall.Outcome o = new AptInstall(fake, out, "t").ensure(List.of(SL));
        assertThat(o.ok()).isTrue();
        assertThat(fake.calls).containsExactly("dpkg-query -W -f=${Status} sl");
        assertThat(printed()).isEmpty();
    }

    @Test
    void rootInstallsWithoutSudo() throws Exception {
        FakeRunner fake = new FakeRunner().root().absent("sl");
        AptInstall.Plan plan = new AptInstall(fake, out, "t").plan(List.of(SL));
        assertThat(plan.possible()).isTrue();
        assertThat(String.join(" ", plan.command())).isEqualTo(INSTALL_SL);
        assertThat(fake.calls).doesNotContain("sudo -n true");
    }

    @Test
    void passwordlessSudoInstallsThroughSudo() throws Exception {
        FakeRunner fake = new FakeRunner().absent("sl").answer("id -u", 0, "1000").answer("sudo -n true", 0, "")
                .answer("sh -c command -v apt-get", 0, "/usr/bin/apt-get");
        AptInstall.Plan plan = new AptInstall(fake, out, "t").plan(List.of(SL));
        assertThat(String.join(" ", plan.command())).isEqualTo("sudo -n " + INSTALL_SL);
    }

    @Test
    void noRootNoSudoIsImpossibleAndSaysTheFix() throws Exception {
        FakeRunner fake = new FakeRunner().userWithoutSudo().absent("sl");
        AptInstall.Outcome o = new AptInstall(fake, out, "t").ensure(List.of(SL));
        assertThat(o.ok()).isFalse();
        assertThat(o.reason()).contains("not root").contains("sudo");
        assertThat(o.fix()).isEqualTo("sudo apt-get install -y sl");
        assertThat(fake.calls).noneMatch(c -> c.contains("apt-get install"));
    }

    @Test
    void sudoMissingAltogetherIsImpossibleToo() throws Exception {
        // no "sudo -n true" answer: the fake says 127, as a missing program does
        FakeRunner fake = new FakeRunner().answer("id -u", 0, "1000").absent("sl")
                .answer("sh -c command -v apt-get", 0, "/usr/bin/apt-get");
        assertThat(new AptInstall(fake, out, "t").plan(List.of(SL)).possible()).isFalse();
    }

    @Test
    void noAptGetIsImpossible() throws Exception {
        FakeRunner fake = new FakeRunner().answer("id -u", 0, "0").absent("sl");
        AptInstall.Plan plan = new AptInstall(fake, out, "t").plan(List.of(SL));
        assertThat(plan.impossible()).contains("no apt-get");
    }

    @Test
    void installsSaysWhatItRunsAndChecksAgain() throws Exception {
        boolean[] done = {false};
        FakeRunner fake = new FakeRunner().root().handler(c -> {
            String line = String.join(" ", c);
            if (line.equals("sudo -n " + INSTALL_SL) || line.equals(INSTALL_SL)) {
                done[0] = true;
                return new AptInstall.Result(0, "");
            }
            if (line.equals("dpkg-query -W -f=${Status} sl")) {
                return done[0] ? new AptInstall.Result(0, "install ok installed")
                        : new AptInstall.Result(1, "dpkg-query: no packages found matching sl");
            }
            return null;
        });
        AptInstall.Outcome o = new AptInstall(fake, out, "d2c x").ensure(List.of(SL));
        assertThat(o.ok()).isTrue();
        assertThat(printed()).isEqualTo("d2c x: installing Debian's sl (apt-get install -y sl)...\n");
        assertThat(fake.calls).containsSubsequence("id -u", INSTALL_SL, "dpkg-query -W -f=${Status} sl");
        assertThat(fake.calls).noneMatch(c -> c.contains("apt-get update"));
    }

    @Test
    void aFailedInstallUpdatesTheListsOnceAndRetries() throws Exception {
        int[] tries = {0};
        FakeRunner fake = new FakeRunner().root().handler(c -> {
            String line = String.join(" ", c);
            if (line.equals(INSTALL_SL)) {
                tries[0]++;
                return new AptInstall.Result(tries[0] == 1 ? 100 : 0, "");
            }
            if (line.equals("dpkg-query -W -f=${Status} sl")) {
                return tries[0] >= 2 ? new AptInstall.Result(0, "install ok installed") : new AptInstall.Result(1, "");
            }
            return null;
        }).answer("env DEBIAN_FRONTEND=noninteractive apt-get update -q", 0, "");
        AptInstall.Outcome o = new AptInstall(fake, out, "t").ensure(List.of(SL));
        assertThat(o.ok()).isTrue();
        assertThat(fake.calls).containsSubsequence(INSTALL_SL, "env DEBIAN_FRONTEND=noninteractive apt-get update -q",
                INSTALL_SL);
    }

    @Test
    void offlineAptFailureSaysWhyAndTheFix() throws Exception {
        FakeRunner fake = new FakeRunner().root().absent("sl").answer(INSTALL_SL, 100, "")
                .answer("env DEBIAN_FRONTEND=noninteractive apt-get update -q", 100, "");
        AptInstall.Outcome o = new AptInstall(fake, out, "t").ensure(List.of(SL));
        assertThat(o.ok()).isFalse();
        assertThat(o.reason()).startsWith("apt-get install failed (exit 100").contains("offline");
        assertThat(o.fix()).isEqualTo("sudo apt-get install -y sl");
    }

    @Test
    void testSetUpListsEveryMissingPrerequisiteAndOneFix() throws Exception {
        // every probe answers 127 (nothing there) and this user may not install
        FakeRunner fake = new FakeRunner().userWithoutSudo();
        int rc = AptInstall.forTests(new AptInstall(fake, out, "d2c test"), false);
        assertThat(rc).isEqualTo(AptInstall.MISSING);
        String all = AptInstall.TEST_NEEDS.stream().map(AptInstall.Need::pkg).reduce((a, b) -> a + " " + b).orElseThrow();
        assertThat(printed()).contains("will FAIL").contains("d2c test: fix: sudo apt-get install -y " + all + "\n");
        assertThat(all).contains("python3-scipy", "python3-torch", "chromium", "chromium-driver", "docker-compose", "dataset-fashion-mnist");
    }

    @Test
    void testSetUpWithEverythingPresentSaysSoAndSucceeds() throws Exception {
        FakeRunner fake = new FakeRunner().handler(c -> new AptInstall.Result(0, ""));
        assertThat(AptInstall.forTests(new AptInstall(fake, out, "d2c test"), false)).isZero();
        assertThat(printed()).contains("every test prerequisite is installed");
    }
}
