package lab.d2c.api.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import lab.d2c.store.db.SweepRecord;
import org.junit.jupiter.api.Test;

/** A named arm's row is labelled by its name: its own overrides are left out, the grid's varied keys kept. */
class ReportServiceTest {

    @Test
    void armOverridesTheGridDoesNotVaryAreLeftOutOfTheLabel() {
        String spec = """
                {"name":"demo","variants":[
                  {"name":"mar","overrides":{"stage2.fusion":"none"}},
                  {"name":"q16","overrides":{"stage2.fusion":"q-former","stage2.queries":16,"stage2.sample.steps":8}}],
                 "parameters":{"stage2.sample.steps":[8,16]}}""";
        SweepRecord sweep = SweepRecord.pending("demo-1", "demo", "name: demo", spec, 4, "wf");
        Map<String, Set<String>> keys = ReportService.armOverrideKeys(sweep);
        assertThat(keys).containsOnlyKeys("mar", "q16");
        assertThat(keys.get("mar")).containsExactly("stage2.fusion");
        assertThat(keys.get("q16")).containsExactlyInAnyOrder("stage2.fusion", "stage2.queries");
    }

    @Test
    void aSweepWithoutArmsHasNothingToLeaveOut() {
        SweepRecord sweep = SweepRecord.pending("g-1", "g", "name: g", "{\"parameters\":{\"x\":[1,2]}}", 2, "wf");
        assertThat(ReportService.armOverrideKeys(sweep)).isEmpty();
    }
}
