package lab.d2c.api.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Seeds pool into mean and sample std per arm; a varied sampling setting gives an FID curve per other arm. */
class ReportBuilderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ArmScores scores(String paramsJson, long seed, double fid) throws Exception {
        ObjectNode params = (ObjectNode) JSON.readTree(paramsJson);
        return new ArmScores(ReportBuilder.label(params), params, seed, "SUCCEEDED",
                fid < 0 ? Map.of() : Map.of("fid-x-cls", fid, "recall-x-cls", 0.5, "is-x-cls", 2.0));
    }

    @Test
    void seedsPoolIntoMeanAndSampleStdAndCurvesFollowTheVariedSteps() throws Exception {
        List<ArmScores> all = List.of(
                scores("{\"arm\":\"mar\",\"stage2.sample.steps\":16}", 0, 10.0),
                scores("{\"arm\":\"mar\",\"stage2.sample.steps\":16}", 1, 14.0),
                scores("{\"arm\":\"mar\",\"stage2.sample.steps\":64}", 0, 6.0),
                scores("{\"arm\":\"mar\",\"stage2.sample.steps\":64}", 1, -1),
                scores("{\"arm\":\"d2c\",\"stage2.sample.steps\":16}", 0, 5.0),
                scores("{\"arm\":\"d2c\",\"stage2.sample.steps\":64}", 0, 4.0));
        SweepReport report = ReportBuilder.build("s", all);
        assertThat(report.metrics()).containsExactly("fid-x-cls", "is-x-cls", "recall-x-cls");
        assertThat(report.rows()).extracting(SweepReport.Row::arm).containsExactly("mar/stage2.sample.steps=16",
                "mar/stage2.sample.steps=64", "d2c/stage2.sample.steps=16", "d2c/stage2.sample.steps=64");
        SweepReport.Stat first = report.rows().get(0).values().get("fid-x-cls");
        assertThat(first.mean()).isEqualTo(12.0);
        assertThat(first.std()).isCloseTo(Math.sqrt(8.0), within(1e-12)); // (2^2 + 2^2) / (2 - 1)
        assertThat(report.rows().get(1).done()).isEqualTo(1);
        assertThat(report.rows().get(1).values().get("fid-x-cls").n()).isEqualTo(1);

        assertThat(report.curves()).hasSize(1);
        SweepReport.Curve curve = report.curves().get(0);
        assertThat(curve.x()).isEqualTo("stage2.sample.steps");
        assertThat(curve.series()).containsOnlyKeys("mar", "d2c");
        assertThat(curve.series().get("mar")).extracting(SweepReport.Point::x).containsExactly(16.0, 64.0);
        assertThat(curve.series().get("mar").get(0).y().mean()).isEqualTo(12.0);
        assertThat(curve.series().get("d2c").get(1).y().mean()).isEqualTo(4.0);

        String csv = ReportCsv.render(report);
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("arm,seeds,done,fid-x-cls_mean,fid-x-cls_std,"
                + "fid-x-cls_n,fid-x-cls_ci_low,fid-x-cls_ci_high,fid-x-cls_ci,is-x-cls_mean,is-x-cls_std,is-x-cls_n,"
                + "is-x-cls_ci_low,is-x-cls_ci_high,is-x-cls_ci,recall-x-cls_mean,recall-x-cls_std,recall-x-cls_n,"
                + "recall-x-cls_ci_low,recall-x-cls_ci_high,recall-x-cls_ci,family");
        assertThat(csv).containsPattern("\"?mar/stage2\\.sample\\.steps=16\"?,\"?0 1\"?,2,12\\.0,");
        assertThat(ReportTable.render(report)).contains("12.000 ± 2.828", "fid-x-cls");
    }

    @Test
    void noVariedSettingMeansNoCurves() throws Exception {
        SweepReport report = ReportBuilder.build("s", List.of(scores("{}", 0, 3.0), scores("{}", 1, 5.0)));
        assertThat(report.rows()).singleElement().satisfies(r -> assertThat(r.arm()).isEqualTo("all"));
        assertThat(report.curves()).isEmpty();
    }
}
