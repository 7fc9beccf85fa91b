package lab.d2c.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.sql.DataSource;
import lab.d2c.api.http.Http;
import lab.d2c.api.http.RecordedSweep;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's API commands in this JVM (D2cCli's command line as main runs it, stdout and stderr captured) against a
 * running stack with a recorded sweep: what they print, their exit status (0; 1 when the API refuses or the id is
 * unknown, one line; 2 for a wrong command line) and the token they send, found as 'sweep run' finds it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ApiCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalRuntime rt;
    private static String api;
    private static String dataDir;
    private static DataSource ds;
    private static RecordedSweep sweep;

    record Run(int exit, String out, byte[] outBytes, String err) {
    }

    @BeforeAll
    static void start() {
        rt = LocalRuntime.start(LocalStackFixture.freshConfig("cli-api"), false, 1, LocalStackFixture.quiet());
        api = rt.api().baseUrl();
        dataDir = rt.platform().config().dataDir().toString();
        ds = rt.platform().database().dataSource();
        sweep = RecordedSweep.record(rt, "smoke-cli");
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    /** Runs {@code d2c args --api <the stack>}; System.out and System.err are captured while it runs. */
    private static Run d2c(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--api");
        all.add(api);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(errStream);
        int exit;
        try {
            exit = D2cCli.commandLine(false, errStream).execute(all.toArray(String[]::new));
        } finally {
            System.out.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    private static void recordSweep(String id, int arms) {
        rt.platform().database().inTransaction(c -> {
            new SweepRepository(ds).insert(c, SweepRecord.pending(id, id, "name: " + id + "\n", "{}", arms, "sweep-" + id));
            for (int i = 0; i < arms; i++) {
                new ExperimentRepository(ds).insert(c, ExperimentRecord.pending(id + "-a" + i, id, i, "arm" + i, i, "{}",
                        "{}", "experiment-" + id + "-a" + i));
            }
            return null;
        });
    }

    @Test
    void sweepListFiltersByStatusAndTag() throws Exception {
        Run all = d2c("sweep", "list");
        assertThat(all.exit()).as(all.err()).isZero();
        assertThat(all.out().lines().findFirst().orElseThrow()).startsWith("id").contains("status", "arms", "tags");
        assertThat(all.out()).contains(sweep.id());

        Http.send("PATCH", api + "/api/v1/sweeps/" + sweep.id(), "{\"tags\": [\"cli-mark\"]}", rt.apiToken().value());
        Run tagged = d2c("sweep", "list", "--tag", "cli-mark", "--json");
        JsonNode page = JSON.readTree(tagged.out());
        assertThat(page.get("total").asInt()).isEqualTo(1);
        assertThat(page.at("/sweeps/0/id").asText()).isEqualTo(sweep.id());
        Run none = d2c("sweep", "list", "--status", "SUCCEEDED,FAILED", "--tag", "cli-mark");
        assertThat(none.out().lines().count()).as(none.out()).isEqualTo(1);

        Run bad = d2c("sweep", "list", "--status", "DONE");
        assertThat(bad.exit()).isEqualTo(1);
        // the API's message, then one line per field it names (as sweep run prints a bad file's errors)
        List<String> lines = bad.err().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("d2c sweep list: HTTP 400: ");
        assertThat(lines.get(1)).startsWith("  status: ");
        assertThat(d2c("sweep", "list", "--limit", "0").exit()).isEqualTo(2);
        assertThat(d2c("sweep", "list", "--limit", "many").exit()).isEqualTo(2);
    }

    @Test
    void experimentShowPrintsStatusParamsMetricsAndLineage() throws Exception {
        String arm = sweep.arms().get(1);
        Run r = d2c("experiment", "show", arm);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("experiment " + arm + ": PENDING\n  sweep " + sweep.id() + ", arm 1");
        assertThat(r.out()).contains("\nparams\n", "\nmetrics\n", "\nlineage\n");
        assertThat(r.out()).containsPattern("fid-shapes-cls +" + String.format(java.util.Locale.ROOT, "%.4f",
                RecordedSweep.fid(1)) + " +\\(evaluate " + arm + "-evaluate\\)");
        assertThat(r.out()).contains("out grid: " + sweep.sampleKey(arm), sweep.shared() + "  (cache hit)");

        Run json = d2c("experiment", "show", arm, "--json");
        assertThat(JSON.readTree(json.out()).get("id").asText()).isEqualTo(arm);

        Run unknown = d2c("experiment", "show", "no-such-arm");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("d2c experiment show: HTTP 404: experiment 'no-such-arm' does not exist\n");
        assertThat(unknown.out()).isEmpty();
        assertThat(d2c("experiment", "show").exit()).as("no id").isEqualTo(2);
    }

    @Test
    void metricsPrintsATableOrTheCsv() throws Exception {
        String run = sweep.trainer(sweep.arms().get(0));
        Run table = d2c("metrics", run);
        assertThat(table.exit()).as(table.err()).isZero();
        List<String> lines = table.out().lines().toList();
        assertThat(lines.get(0).trim().split(" +")).containsExactly("step", "lr", "train/loss");
        // steps 0, 5, 10, 15, 20; lr only at 0 and 10
        assertThat(lines).hasSize(1 + RecordedSweep.LOSS_POINTS);
        assertThat(lines.get(1).trim().split(" +")).containsExactly("0", "0.00100000", "3.00000");
        assertThat(lines.get(2).trim().split(" +")).containsExactly("5", "-", "2.50000");

        Run csv = d2c("metrics", run, "--csv");
        List<String> rows = csv.out().lines().toList();
        assertThat(rows.get(0)).isEqualTo("metric,step,value");
        assertThat(rows).hasSize(1 + RecordedSweep.LR_POINTS + RecordedSweep.LOSS_POINTS);
        assertThat(rows.get(1).split(",")).containsExactly("lr", "0", "0.001");
        Run one = d2c("metrics", run, "--csv", "--name", "train/loss");
        assertThat(one.out().lines().skip(1)).hasSize(RecordedSweep.LOSS_POINTS).allMatch(l -> l.startsWith("train/loss,"));

        Run unknown = d2c("metrics", "no-such-run");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("d2c metrics: no run 'no-such-run': no node has that key and no metrics were"
                + " recorded under it\n");
        Run noMetrics = d2c("metrics", sweep.arms().get(0) + "-evaluate");
        assertThat(noMetrics.exit()).isZero();
        assertThat(noMetrics.out()).contains("(evaluate, SUCCEEDED) has no metrics recorded");
    }

    @Test
    void artifactGetWritesTheBytesToStdoutOrAFile(@TempDir Path dir) throws Exception {
        String key = sweep.sampleKey(sweep.arms().get(0));
        Run stdout = d2c("artifact", "get", key);
        assertThat(stdout.exit()).as(stdout.err()).isZero();
        assertThat(stdout.outBytes()).isEqualTo(sweep.png());

        Path file = dir.resolve("sub/grid.png");
        Run toFile = d2c("artifact", "get", key, "-o", file.toString());
        assertThat(toFile.exit()).as(toFile.err()).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(sweep.png());
        assertThat(toFile.out()).isEqualTo("wrote " + file + " (" + sweep.png().length + " bytes)\n");

        Run missing = d2c("artifact", "get", "nodes/nothing/here.png", "-o", dir.resolve("none.png").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).isEqualTo("d2c artifact get: HTTP 404: artifact 'nodes/nothing/here.png' does not exist\n");
        assertThat(dir.resolve("none.png")).doesNotExist();
        assertThat(dir.resolve("none.png.part")).doesNotExist();
        Run bad = d2c("artifact", "get", "nodes/../secret");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'..' path segment").hasLineCount(1);
    }

    @Test
    void sweepBundleWritesTheZip(@TempDir Path dir) throws Exception {
        Path zip = dir.resolve("b.zip");
        Run r = d2c("sweep", "bundle", sweep.id(), "-o", zip.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("wrote " + zip + " (");
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(Files.readAllBytes(zip)))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        String root = sweep.id() + "-bundle/";
        assertThat(names).contains(root + "report.csv", root + "experiments/" + sweep.arms().get(0) + "/lineage.json",
                root + "metrics/" + sweep.shared() + ".csv", root + "samples/" + sweep.arms().get(1) + "-sample/grid.png");

        Run unknown = d2c("sweep", "bundle", "no-such-sweep", "-o", dir.resolve("x.zip").toString());
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("d2c sweep bundle: HTTP 404: sweep 'no-such-sweep' does not exist\n");
        assertThat(dir.resolve("x.zip")).doesNotExist();
    }

    @Test
    void followExitsWithTheSweepsOutcome() throws Exception {
        recordSweep("follow-ok", 1);
        recordSweep("follow-bad", 1);
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try {
            later.schedule(() -> new SweepRepository(ds).updateStatus("follow-ok", Status.SUCCEEDED, null), 1500,
                    TimeUnit.MILLISECONDS);
            Run ok = d2c("sweep", "follow", "follow-ok");
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).startsWith("sweep follow-ok: SUCCEEDED (1 arms)");
            // progress on stderr, one plain line per change (stderr is no terminal here)
            assertThat(ok.err()).contains("sweep follow-ok PENDING: ", "sweep follow-ok SUCCEEDED: ");

            new SweepRepository(ds).updateStatus("follow-bad", Status.FAILED, "a node failed");
            Run bad = d2c("sweep", "follow", "follow-bad");
            assertThat(bad.exit()).isEqualTo(1);
            assertThat(bad.out()).contains("FAILED", "error: a node failed");
        } finally {
            later.shutdownNow();
        }
        Run unknown = d2c("sweep", "follow", "no-such-sweep");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("d2c sweep follow: HTTP 404: sweep 'no-such-sweep' does not exist\n");
    }

    @Test
    void actionsSendTheTokenAndSayWhatTheServerDid() throws Exception {
        recordSweep("steer", 2);
        Run refused = d2c("experiment", "cancel", "steer-a0", "--token", "not-the-token-of-this-server");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("d2c experiment cancel: HTTP 401: ").hasLineCount(1);
        assertThat(Http.get(api + "/api/v1/experiments/steer-a0").json().get("status").asText()).isEqualTo("PENDING");

        // the token from the data dir's api-token file, as 'sweep run' reads it
        Run cancelled = d2c("experiment", "cancel", "steer-a0", "--data-dir", dataDir);
        assertThat(cancelled.exit()).as(cancelled.err()).isZero();
        assertThat(cancelled.out()).isEqualTo("cancel steer-a0: arm steer-a0\n");
        assertThat(Http.get(api + "/api/v1/experiments/steer-a0").json().get("status").asText()).isEqualTo("CANCELLED");
        Run again = d2c("experiment", "cancel", "steer-a0", "--data-dir", dataDir);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).startsWith("d2c experiment cancel: HTTP 409: experiment 'steer-a0' is CANCELLED").hasLineCount(1);
        Run notFailed = d2c("experiment", "resume", "steer-a1", "--data-dir", dataDir);
        assertThat(notFailed.exit()).isEqualTo(1);
        assertThat(notFailed.err()).contains("HTTP 409", "only a FAILED or CANCELLED experiment can be resumed");

        String token = rt.apiToken().value();
        Run sweepCancel = d2c("sweep", "cancel", "steer", "--token", token);
        assertThat(sweepCancel.exit()).as(sweepCancel.err()).isZero();
        assertThat(sweepCancel.out()).isEqualTo("cancel steer: arm steer-a1\n");
        assertThat(Http.get(api + "/api/v1/sweeps/steer").json().get("status").asText()).isEqualTo("CANCELLED");
        Run noRerun = d2c("sweep", "rerun-failed", sweep.id(), "--token", token);
        assertThat(noRerun.exit()).isEqualTo(1);
        assertThat(noRerun.err()).contains("HTTP 409", "has no FAILED or CANCELLED arm to rerun");
        assertThat(d2c("sweep", "cancel", "no-such-sweep", "--token", token).err())
                .isEqualTo("d2c sweep cancel: HTTP 404: sweep 'no-such-sweep' does not exist\n");
    }
}
