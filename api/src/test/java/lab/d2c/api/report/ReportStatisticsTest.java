package lab.d2c.api.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The report's statistics on hand-made inputs: the Student-t interval over seeds, the bootstrap
 * interval standing in for one seed, and the pairwise FID differences from pooled replicates.
 */
class ReportStatisticsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void studentTQuantilesMatchTheTables() {
        assertThat(StudentT.quantile975(1)).isEqualTo(12.7062);
        assertThat(StudentT.quantile975(2)).isEqualTo(4.3027);
        assertThat(StudentT.quantile975(30)).isEqualTo(2.0423);
        // beyond the table: scipy.stats.t.ppf(0.975, [40, 60, 120, 1000]) = 2.0211, 2.0003, 1.9799, 1.9623
        assertThat(StudentT.quantile975(40)).isCloseTo(2.0211, within(1e-4));
        assertThat(StudentT.quantile975(60)).isCloseTo(2.0003, within(1e-4));
        assertThat(StudentT.quantile975(120)).isCloseTo(1.9799, within(1e-4));
        assertThat(StudentT.quantile975(1000)).isCloseTo(1.9623, within(1e-4));
    }

    @Test
    void threeSeedsGiveTheStudentTIntervalAndOneSeedItsBootstrapInterval() {
        List<ArmScores> all = List.of(
                arm("mar", "none", 0, 10.0, null), arm("mar", "none", 1, 12.0, null), arm("mar", "none", 2, 14.0, null),
                arm("q", "q-former", 0, 9.0, new double[] {8.0, 8.0, 9.5, 9.5}));
        SweepReport report = ReportBuilder.build("s", all);
        SweepReport.Stat mar = report.rows().get(0).values().get("fid-x");
        // mean 12, std 2, half-width t(0.975; 2) * 2 / sqrt(3) = 4.3027 * 1.1547 = 4.9683
        assertThat(mar.mean()).isEqualTo(12.0);
        assertThat(mar.std()).isCloseTo(2.0, within(1e-12));
        assertThat(mar.ci()).isEqualTo(SweepReport.CI_STUDENT_T);
        assertThat(mar.ciLow()).isCloseTo(12.0 - 4.3027 * 2 / Math.sqrt(3), within(1e-9));
        assertThat(mar.ciHigh()).isCloseTo(12.0 + 4.3027 * 2 / Math.sqrt(3), within(1e-9));
        SweepReport.Stat q = report.rows().get(1).values().get("fid-x");
        assertThat(q.n()).isEqualTo(1);
        assertThat(q.ci()).isEqualTo(SweepReport.CI_BOOTSTRAP);
        assertThat(q.ciLow()).isEqualTo(8.0);
        assertThat(q.ciHigh()).isEqualTo(9.5);
        assertThat(report.rows().get(1).values().get("is-x").ci()).isEqualTo(SweepReport.CI_NONE);
        assertThat(report.rows().get(1).values().get("is-x").ciLow()).isNull();
        assertThat(report.rows()).extracting(SweepReport.Row::family).containsExactly("mar", "q-former");
        assertThat(ReportTable.render(report)).contains("12.000 ± 2.000 [7.032, 16.968]", "9.000 [8.000, 9.500]*",
                "* one seed");
    }

    @Test
    void pooledReplicatesGiveTheDifferencesIntervalPerComparedPair() throws Exception {
        // replicate b of an arm = its seeds' mean replicate b; the difference's interval = the basic one: the
        // percentiles of a[b] - b[b] (numpy's linear interpolation) reflected about the difference d,
        // [2 d - q_97.5, 2 d - q_2.5]
        double[] q0 = {10, 11, 12, 13, 14};
        double[] q1 = {12, 13, 14, 15, 16}; // pooled q-former: 11 12 13 14 15
        double[] m0 = {20, 20, 21, 21, 22}; // MAR, one seed
        double[] c0 = {14, 9, 13, 12, 11};  // cross-attention: q - c = -3 3 0 2 4
        List<ArmScores> all = List.of(
                arm("q", "q-former", 0, 12.0, q0), arm("q", "q-former", 1, 14.0, q1),
                arm("mar", "none", 0, 21.0, m0),
                arm("cross", "cross-attention", 0, 12.0, c0),
                arm("stage1", "discrete", 0, 30.0, null));
        SweepReport report = ReportBuilder.build("s", all);
        Map<String, SweepReport.Comparison> byPair = new LinkedHashMap<>();
        report.comparisons().forEach(c -> byPair.put(c.familyA() + " vs " + c.familyB(), c));
        assertThat(byPair).containsOnlyKeys("cross-attention vs mar", "q-former vs mar", "mar vs discrete-only",
                "q-former vs cross-attention");

        SweepReport.Comparison qm = byPair.get("q-former vs mar");
        assertThat(qm.difference()).isEqualTo(13.0 - 21.0);
        // differences -9 -8 -8 -7 -7: 2.5th percentile -9 + 0.1 * 1 = -8.9, 97.5th -7; d = -8:
        // [-16 + 7, -16 + 8.9]
        assertThat(qm.ciLow()).isCloseTo(-9.0, within(1e-12));
        assertThat(qm.ciHigh()).isCloseTo(-7.1, within(1e-12));
        assertThat(qm.excludesZero()).isTrue();
        assertThat(qm.replicates()).isEqualTo(5);

        SweepReport.Comparison qc = byPair.get("q-former vs cross-attention");
        assertThat(qc.difference()).isEqualTo(1.0);
        // differences -3 3 0 2 4 sorted -3 0 2 3 4: 2.5th -3 + 0.1 * 3 = -2.7, 97.5th 3 + 0.9 * 1 = 3.9;
        // d = 1: [2 - 3.9, 2 + 2.7]
        assertThat(qc.ciLow()).isCloseTo(-1.9, within(1e-12));
        assertThat(qc.ciHigh()).isCloseTo(4.7, within(1e-12));
        assertThat(qc.excludesZero()).isFalse();

        SweepReport.Comparison md = byPair.get("mar vs discrete-only");
        assertThat(md.difference()).isEqualTo(-9.0);
        assertThat(md.ciLow()).as("discrete-only has no replicates").isNull();
        assertThat(md.excludesZero()).isNull();
        assertThat(md.replicates()).isZero();

        String csv = ReportCsv.renderComparisons(report);
        List<String> lines = csv.lines().toList();
        assertThat(lines.get(0)).isEqualTo("metric,a,b,family_a,family_b,difference,ci_low,ci_high,excludes_zero,replicates");
        assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo("fid-x,q,mar,q-former,mar,-8.0,-9.0,-7.1,true,5"));
        assertThat(lines).anySatisfy(l -> assertThat(l).isEqualTo("fid-x,mar,stage1,mar,discrete-only,-9.0,,,,0"));
        assertThat(ReportTable.render(report)).contains("fid-x: q - mar = -8.000 [-9.000, -7.100] excludes 0");
        String json = JSON.writeValueAsString(report);
        assertThat(json).contains("\"excludes_zero\":true", "\"family_a\":\"q-former\"", "\"ci\":\"student-t\"");
    }

    @Test
    void rowsOfOtherGridPointsAreNotCompared() {
        List<ArmScores> all = List.of(
                withParams("{\"arm\":\"q\",\"stage2.sample.steps\":8}", "q-former", 5.0),
                withParams("{\"arm\":\"mar\",\"stage2.sample.steps\":8}", "mar", 6.0),
                withParams("{\"arm\":\"mar\",\"stage2.sample.steps\":16}", "mar", 7.0));
        SweepReport report = ReportBuilder.build("s", all);
        assertThat(report.comparisons()).singleElement().satisfies(c -> {
            assertThat(c.b()).isEqualTo("mar/stage2.sample.steps=8");
            assertThat(c.difference()).isEqualTo(-1.0);
        });
    }

    @Test
    void familiesComeFromTheFullConfig() throws Exception {
        assertThat(ArmFamily.of(config("{\"stage2\":{\"fusion\":\"none\"},\"eval\":{\"images\":\"sample\"}}")))
                .isEqualTo("mar");
        assertThat(ArmFamily.of(config("{\"stage2\":{\"fusion\":\"none\"},\"eval\":{\"images\":\"decode-stage1\"}}")))
                .isEqualTo("discrete-only");
        assertThat(ArmFamily.of(config("{\"stage2\":{\"fusion\":\"q-former-decoder\"},\"eval\":{\"images\":\"sample\"}}")))
                .isEqualTo("q-former-decoder");
        assertThat(ArmFamily.of(config("{\"generator\":\"rdpm\",\"eval\":{\"images\":\"sample\"}}"))).isEqualTo("rdpm");
        assertThat(ArmFamily.of(config("{\"eval\":{\"images\":\"sample\"}}"))).isNull();
    }

    @Test
    void theEvaluateNodesReplicatesParse() throws Exception {
        Map<String, double[]> r = ReportService.parseReplicates(
                "{\"metric\":\"fid-x\",\"count\":3,\"replicates\":[1.5,2.0,2.5]}".getBytes(StandardCharsets.UTF_8));
        assertThat(r).containsOnlyKeys("fid-x");
        assertThat(r.get("fid-x")).containsExactly(1.5, 2.0, 2.5);
        assertThat(FidDifference.pool(List.of(new double[] {1, 2, 3}, new double[] {3, 4}))).containsExactly(2.0, 3.0);
    }

    private static ObjectNode config(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    private static ArmScores withParams(String paramsJson, String family, double fid) {
        try {
            ObjectNode params = config(paramsJson);
            return new ArmScores(ReportBuilder.label(params), params, 0, "SUCCEEDED", Map.of("fid-x", fid), family,
                    Map.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** fusion "discrete" stands for the discrete-only baseline. */
    private static ArmScores arm(String name, String fusion, long seed, double fid, double[] replicates) {
        ObjectNode params = JSON.createObjectNode().put("arm", name);
        String family = fusion.equals("discrete") ? ArmFamily.DISCRETE_ONLY : fusion.equals("none") ? ArmFamily.MAR
                : fusion;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("fid-x", fid);
        metrics.put("is-x", 2.0);
        if (replicates != null) {
            metrics.put("fid_ci_low-x", FidDifference.percentile(replicates, 0.025));
            metrics.put("fid_ci_high-x", FidDifference.percentile(replicates, 0.975));
        }
        return new ArmScores(name, params, seed, "SUCCEEDED", metrics, family,
                replicates == null ? Map.of() : Map.of("fid-x", replicates));
    }
}
