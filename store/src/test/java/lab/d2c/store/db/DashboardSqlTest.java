package lab.d2c.store.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Grafana panel and variable query of {@code dashboards/json} runs against the migrated schema
 * on the embedded PostgreSQL, over one seeded sweep (experiment, nodes, metrics, an evaluation), and
 * returns rows: a schema change or a wrong join fails here rather than as an empty panel. Grafana's
 * macros are expanded as its PostgreSQL datasource does; variables take the seeded values.
 */
class DashboardSqlTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DASHBOARDS = Path.of("..", "dashboards", "json");
    private static final Pattern TIME_FILTER = Pattern.compile("\\$__timeFilter\\(([^)]+)\\)");

    private static String sweep;
    private static String run;

    @BeforeAll
    static void seed() {
        DataSource ds = TestStack.get().database().dataSource();
        sweep = Ids.unique("dash");
        run = "train-vq-" + sweep;
        String evaluate = "evaluate-" + sweep;
        String classifier = "train-classifier-" + sweep;
        new SweepRepository(ds).insert(SweepRecord.pending(sweep, "dash", "name: dash", "{}", 1, "wf-" + sweep));
        String experiment = sweep + "-a0";
        new ExperimentRepository(ds).insert(ExperimentRecord.pending(experiment, sweep, 0, "dash/mar/seed=0", 0,
                "{\"arm\":\"mar\",\"stage2.fusion\":\"none\"}", "{}", "wf-" + experiment));
        NodeRepository nodes = new NodeRepository(ds);
        for (String key : List.of(run, evaluate, classifier)) {
            nodes.register(NodeRecord.pending(key, key.substring(0, key.indexOf("-" + sweep)), "{}", "{}", 1));
            nodes.linkExperiment(experiment, key, false);
        }
        String running = "sample-" + sweep;
        nodes.register(NodeRecord.pending(running, "sample", "{}", "{}", 1));
        nodes.markRunning(running, "worker-a");
        nodes.updateProgress(running, 0.5, "42/84 images");
        nodes.markRunning(run, "worker-a");
        nodes.markRunning(run, "worker-b"); // a retried attempt
        nodes.markSucceeded(run, Map.of(), "{\"psnr\": 21.7}", 1500);
        nodes.markRunning(classifier, "worker-a");
        nodes.markSucceeded(classifier, Map.of(), "{\"test_accuracy\": 0.91}", 900);
        nodes.markRunning(evaluate, "worker-b");
        nodes.markSucceeded(evaluate, Map.of(), "{}", 300);
        new MetricsRepository(ds).upsertBatch(List.of(new MetricPoint(run, "train/loss", 0, 1.0),
                new MetricPoint(run, "train/loss", 9, 0.5), new MetricPoint(run, "train/lr", 9, 1e-3),
                new MetricPoint(run, "train/grad_norm", 9, 0.7)));
        new EvaluationRepository(ds).upsertAll(List.of(new Evaluation(evaluate, "fid-fmnist-cls", 12.5,
                "{\"count\":100,\"sampling\":{\"steps\":16,\"guidanceScale\":2.0}}")));
    }

    @TestFactory
    Stream<DynamicTest> everyPanelQueryRunsAndReturnsRows() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            for (JsonNode panel : dashboard.path("panels")) {
                for (JsonNode target : panel.path("targets")) {
                    String name = file.getFileName() + " / panel " + panel.path("id").asInt() + " '"
                            + panel.path("title").asText() + "'";
                    tests.add(DynamicTest.dynamicTest(name, () -> assertRuns(name, target.path("rawSql").asText())));
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                String name = file.getFileName() + " / variable $" + variable.path("name").asText();
                tests.add(DynamicTest.dynamicTest(name, () -> assertRuns(name, variable.path("query").asText())));
            }
        }
        assertThat(tests).as("panels found under " + DASHBOARDS.toAbsolutePath()).hasSizeGreaterThanOrEqualTo(15);
        return tests.stream();
    }

    @Test
    void everyPanelUsesTheProvisionedDatasourceAndDashboardsHaveUniqueUids() throws IOException {
        String provisioned = Files.readString(Path.of("..", "dashboards", "provisioning", "datasources",
                "d2c-postgres.yaml"));
        assertThat(provisioned).contains("uid: d2c-postgres");
        List<String> uids = new ArrayList<>();
        for (Path file : dashboardFiles()) {
            JsonNode dashboard = JSON.readTree(file.toFile());
            uids.add(dashboard.path("uid").asText());
            for (JsonNode panel : dashboard.path("panels")) {
                assertThat(panel.path("datasource").path("uid").asText()).as(file + " " + panel.path("title"))
                        .isEqualTo("d2c-postgres");
                assertThat(panel.path("targets")).as(file + " " + panel.path("title")).isNotEmpty();
            }
        }
        assertThat(uids).doesNotHaveDuplicates().doesNotContain("");
    }

    private static List<Path> dashboardFiles() throws IOException {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Grafana's expansion, then the statement runs; each returns at least one row of the seeded sweep. */
    private static void assertRuns(String name, String grafanaSql) throws SQLException {
        assertThat(grafanaSql).as(name).isNotBlank();
        String sql = expand(grafanaSql);
        try (Connection c = TestStack.get().database().dataSource().getConnection();
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            assertThat(rs.next()).as(name + " returned no rows:\n" + sql).isTrue();
        }
    }

    static String expand(String sql) {
        Matcher m = TIME_FILTER.matcher(sql);
        String out = m.replaceAll(r -> Matcher.quoteReplacement(r.group(1)
                + " BETWEEN now() - interval '7 days' AND now() + interval '1 minute'"));
        assertThat(out).as("unexpanded macro in:\n" + sql).doesNotContain("$__");
        out = out.replace("$run", "'" + run + "'").replace("$metric", "'train/loss', 'train/lr'")
                .replace("$sweep", "'" + sweep + "'");
        assertThat(out).as("unknown variable in:\n" + sql).doesNotContain("$");
        return out;
    }
}
