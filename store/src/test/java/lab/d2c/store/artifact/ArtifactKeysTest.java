package lab.d2c.store.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "nodes/ab12/checkpoint-000100.bin", "runs/x/metrics.json", "a..b/c", "x/.hidden",
            "with space/ü.bin"})
    void acceptsRelativeSlashSeparatedKeys(String key) {
        assertThat(ArtifactKeys.validate(key)).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/abs/key        | must not start with '/'",
        "a/../b          | '..' path segment",
        "..              | '..' path segment",
        "a/..            | '..' path segment",
        "a/./b           | '.' path segment",
        "a//b            | empty path segment",
        "a/b/            | must not end with '/'",
        "a\\b            | backslash at index 1",
    })
    void refusesWithReason(String key, String reason) {
        assertThatThrownBy(() -> ArtifactKeys.validate(key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void refusesEmptyNullLongAndControlCharacters() {
        assertThatThrownBy(() -> ArtifactKeys.validate(null)).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> ArtifactKeys.validate("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> ArtifactKeys.validate("a".repeat(1025))).hasMessageContaining("longer than 1024");
        assertThat(ArtifactKeys.validate("a".repeat(1024))).hasSize(1024);
        assertThatThrownBy(() -> ArtifactKeys.validate("a\nb")).hasMessageContaining("control character U+000A at index 1")
                .hasMessageContaining("a\\u000ab");
        assertThatThrownBy(() -> ArtifactKeys.validate("a\u0000")).hasMessageContaining("U+0000");
        assertThatThrownBy(() -> ArtifactKeys.validate("a\u007f")).hasMessageContaining("U+007F");
    }

    @Test
    void prefixesMayBeEmptyOrEndWithOneSlash() {
        assertThat(ArtifactKeys.validatePrefix("")).isEmpty();
        assertThat(ArtifactKeys.validatePrefix("runs/")).isEqualTo("runs/");
        assertThat(ArtifactKeys.validatePrefix("runs/ab")).isEqualTo("runs/ab");
        assertThatThrownBy(() -> ArtifactKeys.validatePrefix("runs//")).hasMessageContaining("empty path segment");
        assertThatThrownBy(() -> ArtifactKeys.validatePrefix("../")).hasMessageContaining("'..' path segment");
        assertThatThrownBy(() -> ArtifactKeys.validatePrefix(null)).hasMessageContaining("must not be null");
    }
}
