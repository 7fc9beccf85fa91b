package lab.d2c.api.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import lab.d2c.store.db.NodeRecord;
import lab.d2c.store.db.Status;
import org.junit.jupiter.api.Test;

/**
 * Each arm's generators in the report: read from the trainers' node results (only those its evaluate node's
 * images come from), pooled over seeds by distinct model, and shown in the JSON row, the CSV and the table.
 */
class ReportTrainingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String training(long steps, Boolean converged, Double improvement, double valLoss) {
        return "{\"steps\":" + steps + ",\"training\":{\"steps\":" + steps + ",\"batch_size\":32,\"items_seen\":"
                + steps * 32 + ",\"epochs\":" + steps * 32 / 7920.0 + ",\"converged\":" + converged
                + ",\"improvement\":" + improvement + ",\"final_val_loss\":" + valLoss + "}}";
    }

    private static NodeRecord node(String key, String kind, String inputs, String result) {
        return new NodeRecord(key, kind, "{}", inputs, 1, Status.SUCCEEDED, 1, 1.0, null, Map.of(), result, null,
                null, null, null, null, null);
    }

    @Test
    void onlyTheGeneratorsTheScoredImagesComeFromAreRead() {
        // a MAR arm's graph: stage one is trained but its stage two and sampler never read it
        List<NodeRecord> linked = List.of(
                node("s1", "train-stage1", "{\"tokens\":\"tok\"}", training(400, true, 0.01, 3.1)),
                node("tok", "pretokenize", "{}", "{}"),
                node("s2", "train-stage2", "{\"tokens\":\"tok\"}", training(250, false, 0.05, 0.41)),
                node("sample", "sample", "{\"stage2\":\"s2\"}", "{}"),
                node("eval", "evaluate", "{\"images\":\"sample\"}", "{}"));
        Map<String, GeneratorBudget> g = ReportService.generators(linked);
        assertThat(g).containsOnlyKeys("train-stage2");
        GeneratorBudget b = g.get("train-stage2");
        assertThat(b.steps()).isEqualTo(250);
        assertThat(b.itemsSeen()).isEqualTo(8000);
        assertThat(b.converged()).isFalse();
        assertThat(b.finalValLoss()).isEqualTo(0.41);
        // before the evaluate node is linked, every trained generator counts
        assertThat(ReportService.generators(linked.subList(0, 3))).containsOnlyKeys("train-stage1", "train-stage2");
        // a result written before the held-out loss existed has no budget to show
        assertThat(GeneratorBudget.of("train-stage1", "old", JSON.createObjectNode().put("steps", 5))).isNull();
        assertThat(b.stepCap()).as("a fixed budget has no cap").isNull();
    }

    @Test
    void aRunTrainedUntilConvergedShowsWhereItStoppedAndItsCap() {
        ObjectNode result = JSON.createObjectNode();
        result.putObject("training").put("steps", 960).put("batch_size", 64).put("items_seen", 61440)
                .put("epochs", 0.52).put("converged", true).put("improvement", 0.012).put("final_val_loss", 0.2)
                .put("until_converged", true).put("step_cap", 2400).put("stopped_early", true);
        GeneratorBudget b = GeneratorBudget.of("train-stage2", "s2", result);
        assertThat(b.steps()).isEqualTo(960);
        assertThat(b.stepCap()).isEqualTo(2400L);
        ArmScores arm = new ArmScores("mar", JSON.createObjectNode().put("arm", "mar"), 0, "SUCCEEDED",
                Map.of("fid-x-cls", 40.0), null, Map.of(), Map.of("train-stage2", b));
        SweepReport.Training t = ReportBuilder.build("s", List.of(arm)).rows().get(0).training().get("train-stage2");
        assertThat(t.steps()).isEqualTo(960);
        assertThat(t.stepCap()).isEqualTo(2400L);
    }

    @Test
    void seedsPoolByModelAndTheBudgetReachesEveryOutput() throws Exception {
        GeneratorBudget shared = new GeneratorBudget("train-stage1", "s1", 400, 32, 12800, 1.6, true, 0.01, 3.0);
        GeneratorBudget seed0 = new GeneratorBudget("train-stage2", "a", 250, 32, 8000, 1.01, true, 0.015, 0.40);
        GeneratorBudget seed1 = new GeneratorBudget("train-stage2", "b", 250, 32, 8000, 1.01, false, 0.035, 0.44);
        ObjectNode params = JSON.createObjectNode().put("arm", "q-former-4");
        List<ArmScores> all = List.of(
                new ArmScores("q-former-4", params, 0, "SUCCEEDED", Map.of("fid-x-cls", 30.0), null, Map.of(),
                        Map.of("train-stage1", shared, "train-stage2", seed0)),
                new ArmScores("q-former-4", params, 1, "SUCCEEDED", Map.of("fid-x-cls", 32.0), null, Map.of(),
                        Map.of("train-stage1", shared, "train-stage2", seed1)),
                new ArmScores("mar", JSON.createObjectNode().put("arm", "mar"), 0, "SUCCEEDED",
                        Map.of("fid-x-cls", 40.0)));
        SweepReport report = ReportBuilder.build("s", all);

        Map<String, SweepReport.Training> t = report.rows().get(0).training();
        assertThat(t).containsOnlyKeys("train-stage1", "train-stage2");
        assertThat(t.get("train-stage1").runs()).isEqualTo(1);
        assertThat(t.get("train-stage1").converged()).isTrue();
        SweepReport.Training s2 = t.get("train-stage2");
        assertThat(s2.runs()).isEqualTo(2);
        assertThat(s2.converged()).isFalse();
        assertThat(s2.convergedRuns()).isEqualTo(1);
        assertThat(s2.judgedRuns()).isEqualTo(2);
        assertThat(s2.finalValLoss()).isCloseTo(0.42, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(s2.improvement()).isCloseTo(0.025, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(report.rows().get(1).training()).isEmpty();

        // JSON: the row's training survives the round trip the CLI makes
        String json = JSON.writeValueAsString(report);
        assertThat(JSON.readTree(json).at("/rows/0/training/train-stage2/converged_runs").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(json).at("/rows/0/training/train-stage2/items_seen").asLong()).isEqualTo(8000);
        assertThat(JSON.readValue(json, SweepReport.class)).isEqualTo(report);

        // CSV: the columns come last, the earlier header unchanged
        List<String> lines = ReportCsv.render(report).lines().toList();
        assertThat(lines.get(0)).startsWith("arm,seeds,done,fid-x-cls_mean,").endsWith(",family,train-stage1_steps,"
                + "train-stage1_epochs,train-stage1_converged,train-stage1_val_loss,train-stage2_steps,"
                + "train-stage2_epochs,train-stage2_converged,train-stage2_val_loss,train-rdpm_steps,"
                + "train-rdpm_epochs,train-rdpm_converged,train-rdpm_val_loss");
        assertThat(lines.get(1)).endsWith(",400,1.6,true,3.0,250,1.01,false,0.42000000000000004,,,,");
        assertThat(lines.get(2)).endsWith(",,,,,,,,,,,,");

        String table = ReportTable.render(report);
        assertThat(table).contains("q-former-4: train-stage2 250 steps x 32 (1.01 epochs), val/loss 0.4200, "
                + "converged no (val/loss -2.5% over the last 20%, 1 of 2 runs)");
        assertThat(table).contains("q-former-4: train-stage1 400 steps x 32 (1.60 epochs), val/loss 3.0000, "
                + "converged yes (val/loss -1.0% over the last 20%)");
    }
}
