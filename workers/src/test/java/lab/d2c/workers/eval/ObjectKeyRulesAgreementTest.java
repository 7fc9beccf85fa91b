package lab.d2c.workers.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import lab.d2c.store.artifact.ArtifactKeys;
import lab.d2c.workflows.spec.ConfigField;
import lab.d2c.workflows.spec.ConfigSchema;
import lab.d2c.workflows.spec.FieldError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code eval.inception_key} is checked at submission by workflows' copy of the object-key rules
 * and read through the store, which applies {@link ArtifactKeys}; workflows cannot use store's
 * class, so this module, which sees both, holds them to the same answer on every key here.
 */
class ObjectKeyRulesAgreementTest {

    private static final ConfigField KEY = ConfigSchema.standard().field("eval.inception_key").orElseThrow();

    static Stream<String> keys() {
        return Stream.of(
                // good
                "files/inception.pt", "a", "nodes/ab12/checkpoint-000100.bin", "a.b/c..d/e.", "...", "x/.hidden",
                "caf\u00e9/\u043a\u043b\u044e\u0447", "with space/x", "a".repeat(1024),
                // bad
                "", "/", "//", "/abs/key", "trailing/", "a//b", ".", "..", "./a", "a/./b", "a/..", "../a",
                "a\\b", "a\u0000b", "a\nb", "a\u007fb", "a\u0085b", "a".repeat(1025));
    }

    @ParameterizedTest
    @MethodSource("keys")
    void submissionRefusesExactlyTheKeysTheStoreRefuses(String key) {
        boolean storeAccepts;
        try {
            ArtifactKeys.validate(key);
            storeAccepts = true;
        } catch (IllegalArgumentException refused) {
            storeAccepts = false;
        }
        List<FieldError> errors = new ArrayList<>();
        boolean specAccepts = KEY.check(TextNode.valueOf(key), "eval.inception_key", errors) != null;
        assertThat(specAccepts).as("spec accepts %s (errors %s); store accepts it: %s", key.length() > 60
                ? key.length() + " characters" : "'" + key + "'", errors, storeAccepts).isEqualTo(storeAccepts);
    }
}
