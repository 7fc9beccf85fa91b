package lab.d2c.model.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class CodeUsageTest {

    @Test
    void perplexityIsKForUniformUseAndOneForASingleCode() {
        assertThat(CodeUsage.perplexity(new long[] {5, 5, 5, 5, 5, 5, 5})).isCloseTo(7, within(1e-12));
        assertThat(CodeUsage.perplexity(new long[] {0, 9, 0, 0})).isCloseTo(1, within(1e-12));
        // two codes used 1:3: exp(-(1/4 ln 1/4 + 3/4 ln 3/4))
        double h = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75));
        assertThat(CodeUsage.perplexity(new long[] {1, 3, 0})).isCloseTo(Math.exp(h), within(1e-12));
    }

    @Test
    void windowKeepsTheLatestAssignmentsAndNamesDeadCodes() {
        CodeUsage usage = new CodeUsage(4, 6);
        usage.record(new long[] {0, 0, 1});
        assertThat(usage.windowFull()).isFalse();
        assertThat(usage.deadCodes(1)).isEmpty();
        usage.record(new long[] {1, 2, 2, 2, 2});
        // window now holds the last 6: 1, 1, 2, 2, 2, 2  (the two 0s dropped)
        assertThat(usage.windowFull()).isTrue();
        assertThat(usage.counts()).containsExactly(0, 2, 4, 0);
        assertThat(usage.usage()).isEqualTo(0.5);
        assertThat(usage.deadCodes(1)).containsExactly(0, 3);
        assertThat(usage.deadCodes(3)).containsExactly(0, 1, 3);
    }

    @Test
    void stateRoundTrips() throws Exception {
        CodeUsage usage = new CodeUsage(5, 4);
        usage.record(new long[] {4, 3, 3});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        usage.save(new DataOutputStream(bytes));
        CodeUsage back = new CodeUsage(5, 4);
        back.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(back.counts()).containsExactly(usage.counts());
        usage.record(new long[] {1, 1});
        back.record(new long[] {1, 1});
        assertThat(back.counts()).containsExactly(usage.counts());
        assertThat(back.perplexity()).isEqualTo(usage.perplexity());
    }
}
