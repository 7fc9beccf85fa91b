package lab.d2c.model.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConvGradientCheckTest {

    @Test
    void theTestJvmsKernelsGiveFiniteConvolutionGradients() {
        // The build sets ONEDNN_MAX_CPU_ISA=AVX for tests; without it this failed on an AMD EPYC host.
        assertThat(ConvGradientCheck.run()).isEmpty();
    }
}
