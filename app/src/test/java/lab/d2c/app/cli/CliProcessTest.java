package lab.d2c.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.workflows.spec.BundledSweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The command line as a user runs it: separate JVMs, exit codes, what they print. */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class CliProcessTest {

    record Result(int exit, String output) {
    }

    private static Result run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), D2cCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Path log = Files.createTempFile(Path.of("target").toAbsolutePath(), "cli-", ".log");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("d2c " + String.join(" ", args) + " did not finish in 4 minutes; output:\n"
                    + Files.readString(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    @Test
    void demoRunsTheSmokeSweepToTheEndAndSaysWhereToLook() throws Exception {
        D2cConfig cfg = LocalStackFixture.freshConfig("cli-demo");
        Map<String, String> env = Map.of(
                "D2C_EMBEDDED_PG_PORT", String.valueOf(cfg.embeddedPgPort()),
                "D2C_EMBEDDED_S3_PORT", String.valueOf(cfg.embeddedS3Port()),
                "D2C_EMBEDDED_TEMPORAL_PORT", String.valueOf(cfg.embeddedTemporalPort()),
                "D2C_API_PORT", String.valueOf(lab.d2c.store.embedded.FreePort.find()));
        Result r = run(env, "demo", "--exit", "--sweep", "smoke", "--data-dir", cfg.dataDir().toString());
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("postgres", "s3", "temporal", "api", "SUCCEEDED (2 arms)", "Where to look",
                "/api/v1/sweeps/smoke-");
    }

    @Test
    void sweepRunReportsFieldErrorsOfABadFileAndLaunchesNothing() throws Exception {
        try (LocalRuntime rt = LocalRuntime.start(LocalStackFixture.freshConfig("cli-run"), true, 1,
                LocalStackFixture.quiet())) {
            String api = rt.api().baseUrl();
            Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "specs-");
            Path bad = Files.writeString(dir.resolve("bad.yaml"), "name: Bad Name\npreset: tiny\nseeds: [1, 1]\n");
            Map<String, String> auth = Map.of("D2C_API_TOKEN", rt.apiToken().value());
            Result r = run(auth, "sweep", "run", bad.toString(), "--api", api);
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.output()).contains("HTTP 400", "name:", "seeds[1]: duplicate seed 1");

            Path good = Files.writeString(dir.resolve("good.yaml"), BundledSweeps.read("smoke"));
            Result refused = run(Map.of("D2C_API_TOKEN", "not-the-token-of-this-server"), "sweep", "run",
                    good.toString(), "--api", api);
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.output()).contains("HTTP 401", "Authorization: Bearer");
            Result ok = run(auth, "sweep", "run", good.toString(), "--api", api);
            assertThat(ok.exit()).as(ok.output()).isZero();
            assertThat(ok.output()).contains("SUCCEEDED (2 arms)");

            String id = ok.output().lines().filter(l -> l.startsWith("launched sweep ")).findFirst().orElseThrow()
                    .split(" ")[2];
            Result status = run(Map.of(), "sweep", "status", id, "--api", api);
            assertThat(status.exit()).isZero();
            assertThat(status.output()).contains("smoke/seed=1", "SUCCEEDED");

            // the ablation table: one row (the two seeds pooled) with mean +- std of every metric
            Result table = run(Map.of(), "sweep", "report", id, "--api", api);
            assertThat(table.exit()).as(table.output()).isZero();
            assertThat(table.output().lines().findFirst().orElseThrow()).startsWith("arm").contains("fid-shapes-cls");
            assertThat(table.output().lines().skip(1).findFirst().orElseThrow()).contains("±");
            Result csv = run(Map.of(), "sweep", "report", id, "--csv", "--api", api);
            assertThat(csv.exit()).as(csv.output()).isZero();
            assertThat(csv.output()).startsWith("arm,seeds,done,").contains("fid-shapes-cls_mean");
            // the plots as PNG files in a folder (issue 24): every listed plot, each a PNG the API also serves
            Path plotDir = dir.resolve("plots");
            Result plots = run(Map.of(), "sweep", "plots", id, "-o", plotDir.toString(), "--api", api);
            assertThat(plots.exit()).as(plots.output()).isZero();
            com.fasterxml.jackson.databind.JsonNode listed = lab.d2c.api.http.Http.get(api + "/api/v1/sweeps/" + id + "/plots").json();
            assertThat(listed.get("plots").size()).isGreaterThanOrEqualTo(3);
            assertThat(plots.output()).contains(listed.get("plots").size() + " plots written to " + plotDir);
            for (com.fasterxml.jackson.databind.JsonNode p : listed.get("plots")) {
                Path png = plotDir.resolve(p.get("name").asText() + ".png");
                byte[] bytes = Files.readAllBytes(png);
                assertThat(java.util.Arrays.copyOf(bytes, 8)).as(png.toString())
                        .isEqualTo(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
                assertThat(javax.imageio.ImageIO.read(png.toFile())).as(png.toString()).isNotNull();
            }
            assertThat(Files.list(plotDir).filter(f -> f.toString().endsWith(".part")).count()).isZero();
            Result missing = run(Map.of(), "sweep", "report", "nope-123", "--api", api);
            assertThat(missing.exit()).isEqualTo(1);
            assertThat(missing.output()).contains("HTTP 404");
            assertThat(new lab.d2c.store.db.SweepRepository(rt.platform().database().dataSource()).count()).isEqualTo(1);
        }
    }
}
