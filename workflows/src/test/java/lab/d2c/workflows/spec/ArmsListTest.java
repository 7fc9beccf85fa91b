package lab.d2c.workflows.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec's arms list: named arms with their own overrides, times the grid, times the seeds. */
class ArmsListTest {

    private static final String SPEC = """
            name: ablation
            preset: tiny
            config:
              stage2.sample.steps: 16
            arms:
              - name: mar
                stage2.fusion: none
              - name: q-former-16
                stage2.fusion: q-former
                stage2.queries: 16
              - name: discrete-only
                eval.images: decode-stage1
                targets: evaluate
            parameters:
              stage2.sample.guidance_scale:
                values: [1.5, 3.0]
            seeds: [0, 1]
            """;

    @Test
    void armsTimesGridTimesSeedsWithTheirOverridesAndNames() {
        SweepSpec spec = SweepSpecParser.parse(SPEC);
        assertThat(spec.armCount()).isEqualTo(12);
        List<Arm> arms = spec.expand(12);
        assertThat(arms).extracting(Arm::name).startsWith("ablation/mar/stage2.sample.guidance_scale=1.5/seed=0",
                "ablation/mar/stage2.sample.guidance_scale=1.5/seed=1", "ablation/mar/stage2.sample.guidance_scale=3.0/seed=0");
        Arm qformer = arms.get(4);
        assertThat(qformer.params().get("arm").asText()).isEqualTo("q-former-16");
        assertThat(qformer.config().at("/stage2/fusion").asText()).isEqualTo("q-former");
        assertThat(qformer.config().at("/stage2/queries").asInt()).isEqualTo(16);
        assertThat(arms.get(0).config().at("/stage2/queries").asInt()).isEqualTo(4); // the preset's, untouched
        Arm discrete = arms.get(8);
        assertThat(discrete.config().get("targets").asText()).isEqualTo("evaluate");
        assertThat(discrete.config().at("/eval/images").asText()).isEqualTo("decode-stage1");
        assertThat(discrete.config().at("/stage2/sample/steps").asInt()).isEqualTo(16); // the base config's
    }

    @Test
    void badEntriesNameTheirPath() {
        SpecException e = catchThrowableOfType(SpecException.class, () -> SweepSpecParser.parse("""
                name: bad
                preset: tiny
                parameters:
                  stage2.fusion:
                    values: [none, q-former]
                arms:
                  - name: a
                    stage2.fusion: none
                  - name: a
                    stage2.quries: 3
                  - stage2.queries: x
                  - name: s
                    seed: 4
                """));
        assertThat(e.errors()).extracting(FieldError::path).contains("arms[0].stage2.fusion", "arms[1].name",
                "arms[1].stage2.quries", "arms[2].name", "arms[2].stage2.queries", "arms[3].seed");
        assertThat(e.getMessage()).contains("also a grid parameter", "duplicate arm name", "did you mean");
    }

    @Test
    void anArmsListThatBreaksARuleIsRefusedAtSubmission() {
        SpecException e = catchThrowableOfType(SpecException.class, () -> SweepSpecParser.parse("""
                name: bad
                preset: tiny
                arms:
                  - name: too-many-queries
                    stage2.queries: 64
                """, 10));
        assertThat(e.errors()).extracting(FieldError::path).containsExactly("arms[0].stage2.queries");
        assertThat(e.getMessage()).contains("stage2.queries must be in [1, buffer_size = 16]", "got 64");
    }
}
