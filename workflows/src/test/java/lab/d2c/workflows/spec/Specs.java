package lab.d2c.workflows.spec;

import static org.assertj.core.api.Assertions.fail;

import java.util.List;

/** Test helpers: the errors a spec text gets. */
final class Specs {

    /** A small valid spec: a 2-value grid over train size, fixed data seed, two run seeds. */
    static final String VALID = """
            name: demo-quick
            description: two arms
            preset: tiny
            method: grid
            config:
              data.dataset: shapes
            parameters:
              data.train_size:
                values: [1000, 2000]
              data.seed:
                value: 3
            seeds: [0, 1]
            """;

    private Specs() {
    }

    /** The errors of an invalid spec; fails when it parses. */
    static List<FieldError> errorsOf(String text) {
        return errorsOf(text, SweepSpecParser.DEFAULT_MAX_ARMS);
    }

    static List<FieldError> errorsOf(String text, int maxArms) {
        try {
            SweepSpecParser.parse(text, maxArms);
        } catch (SpecException e) {
            return e.errors();
        }
        return fail("expected a SpecException for:\n" + text);
    }

    /** The one error of a spec with exactly one problem. */
    static FieldError onlyErrorOf(String text) {
        List<FieldError> errors = errorsOf(text);
        if (errors.size() != 1) {
            fail("expected one error, got " + errors);
        }
        return errors.get(0);
    }

    /** The minimal valid spec plus extra top-level YAML. */
    static String minimal(String extra) {
        return "name: ok\npreset: tiny\n" + extra;
    }
}
