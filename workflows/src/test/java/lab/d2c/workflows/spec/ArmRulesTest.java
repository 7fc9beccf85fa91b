package lab.d2c.workflows.spec;

import static lab.d2c.workflows.spec.Specs.errorsOf;
import static lab.d2c.workflows.spec.Specs.minimal;
import static lab.d2c.workflows.spec.Specs.onlyErrorOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys that must agree with each other are checked on every arm before anything launches. */
class ArmRulesTest {

    @Test
    void headDimensionMustSuit2dRope() {
        FieldError e = onlyErrorOf(minimal("config:\n  stage1.width: 40\n  stage1.heads: 4\n"));
        assertThat(e.path()).isEqualTo("config.stage1.heads");
        assertThat(e.reason()).contains("stage1.width 40 / stage1.heads 4", "multiple of 4", "arm ok/seed=0");
    }

    @Test
    void aSweptKeyIsNamedUnderParametersAndOnlyBadArmsCount() {
        List<FieldError> errors = errorsOf(minimal("parameters:\n  stage1.heads: {values: [4, 8, 5]}\n"));
        assertThat(errors).extracting(FieldError::path).containsExactly("parameters.stage1.heads");
        assertThat(errors.get(0).reason()).contains("stage1.heads 5", "arm ok/stage1.heads=5/seed=0");
    }

    @Test
    void tokenizerStridesMustMatchAndDivideTheImage() {
        List<FieldError> errors = errorsOf(minimal(
                "config:\n  vae.width_multipliers: \"1,2\"\n  data.image_size: 36\n  vq.width_multipliers: \"1,2,4,4\"\n"));
        assertThat(errors).extracting(FieldError::path)
                .containsExactlyInAnyOrder("config.vae.width_multipliers", "config.data.image_size");
        assertThat(errors).anySatisfy(e -> assertThat(e.reason()).contains("same stride", "4 levels", "2"));
        assertThat(errors).anySatisfy(e -> assertThat(e.reason()).contains("36", "stride 8"));
    }

    @Test
    void tokenizerRecordsAreBuiltForEveryArm() {
        // what VqConfig and KlVaeConfig refuse when the tokenizer nodes build them, refused here at submission
        FieldError e = onlyErrorOf(minimal("config:\n  vae.width_multipliers: \"1,0,4\"\n"));
        assertThat(e.path()).isEqualTo("config.vae.width_multipliers");
        assertThat(e.reason()).contains("expected comma-separated positive integers", "'1,0,4'", "arm ok/seed=0");
        List<FieldError> errors = errorsOf(minimal(
                "parameters:\n  vq.width_multipliers: {values: [\"1,2,4\", \"1,x,4\"]}\n"));
        assertThat(errors).extracting(FieldError::path).containsExactly("parameters.vq.width_multipliers");
        assertThat(errors.get(0).reason()).contains("expected comma-separated positive integers", "'1,x,4'");
    }

    @Test
    void rdpmsTokenizerRecordIsBuiltForEveryArm() {
        // RdpmTokenizerConfig is built on every arm, as VQ's and KL-VAE's, though only RDPM arms run its node
        FieldError e = onlyErrorOf(minimal("config:\n  rdpm.tokenizer.width_multipliers: \"1,0,4\"\n"));
        assertThat(e.path()).isEqualTo("config.rdpm.tokenizer.width_multipliers");
        assertThat(e.reason()).contains("expected comma-separated positive integers", "'1,0,4'", "arm ok/seed=0");
        assertThat(errorsOf(minimal("config:\n  rdpm.tokenizer.phi: 1.0\n"))).extracting(FieldError::path)
                .containsExactly("config.rdpm.tokenizer.phi");
        assertThat(errorsOf(minimal("config:\n  rdpm.tokenizer.schedule: cosine\n"))).extracting(FieldError::path)
                .containsExactly("config.rdpm.tokenizer.schedule");
        assertThat(SweepSpecParser.parse(minimal("config:\n  generator: rdpm\n  targets: train-rdpm-tokenizer\n"
                + "  rdpm.tokenizer.steps: 2\n  rdpm.tokenizer.schedule: sin\n")).armCount()).isEqualTo(1);
    }

    @Test
    void rdpmsPredictorAndSamplingRecordsAreBuiltWithTheTokenizersSizes() {
        FieldError e = onlyErrorOf(minimal("config:\n  rdpm.predictor.width: 64\n  rdpm.predictor.heads: 3\n"));
        assertThat(e.path()).isEqualTo("config.rdpm.predictor.heads");
        assertThat(e.reason()).contains("rdpm.predictor.width 64 is not a multiple of rdpm.predictor.heads 3");
        assertThat(errorsOf(minimal("config:\n  rdpm.sample.guidance_schedule: cosine\n"))).extracting(FieldError::path)
                .containsExactly("config.rdpm.sample.guidance_schedule");
        assertThat(errorsOf(minimal("config:\n  rdpm.sample.temperature: 0\n"))).extracting(FieldError::path)
                .containsExactly("config.rdpm.sample.temperature");
        assertThat(errorsOf(minimal("config:\n  generator: mar\n"))).extracting(FieldError::path)
                .containsExactly("config.generator");
    }

    @Test
    void anRdpmArmCannotScoreStageOnesImages() {
        FieldError e = onlyErrorOf(minimal("config:\n  generator: rdpm\n  eval.images: decode-stage1\n"));
        assertThat(e.path()).isEqualTo("config.eval.images");
        assertThat(e.reason()).contains("generator rdpm", "sample-rdpm");
        // and a D2C arm cannot target RDPM's nodes
        FieldError t = onlyErrorOf(minimal("config:\n  targets: train-rdpm\n"));
        assertThat(t.path()).isEqualTo("config.targets");
        assertThat(t.reason()).contains("'train-rdpm' is not a node kind of this config");
    }

    @Test
    void stageTwoKeysAreCheckedTogether() {
        List<FieldError> errors = errorsOf(minimal("config:\n  stage2.encoder_heads: 3\n  stage2.queries: 20\n"));
        assertThat(errors).extracting(FieldError::path).containsExactlyInAnyOrder("config.stage2.encoder_heads",
                "config.stage2.queries");
        assertThat(errors).anySatisfy(e -> assertThat(e.reason()).contains("stage2.encoder_width 64", "heads 3"));
        assertThat(errors).anySatisfy(e -> assertThat(e.reason()).contains("stage2.queries must be in [1, buffer_size = 16]", "got 20"));
        // RDPM's schedules are its tokenizer's, not the head's (issue 21, part 5)
        assertThat(errorsOf(minimal("config:\n  stage2.noise_schedule: pow(0.75)\n"))).extracting(FieldError::path)
                .containsExactly("config.stage2.noise_schedule");
        assertThat(errorsOf(minimal("config:\n  stage2.noise_schedule: sin\n"))).extracting(FieldError::path)
                .containsExactly("config.stage2.noise_schedule");
        assertThat(SweepSpecParser.parse(minimal("config:\n  stage2.noise_schedule: linear\n")).armCount())
                .isEqualTo(1);
    }

    @Test
    void targetsMustNameNodeKindsOfTheArm() {
        FieldError e = onlyErrorOf(minimal("config:\n  targets: decode-stage2\n"));
        assertThat(e.path()).isEqualTo("config.targets");
        assertThat(e.reason()).contains("'decode-stage2' is not a node kind", "decode-stage1", "sample");
    }

    @Test
    void consistentSpecsPass() {
        assertThat(SweepSpecParser.parse(minimal("config:\n  stage1.width: 64\n  stage1.heads: 2\n")).armCount())
                .isEqualTo(1);
    }
}
