package lab.d2c.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortTest {

    @Test
    void portsComeFromBelowTheEphemeralRangeAndCanBeBound() throws Exception {
        int ephemeralLow = FreePort.ephemeralLow();
        assumeTrue(ephemeralLow - FreePort.LOW > 1_000, "needs Linux's ip_local_port_range");
        for (int i = 0; i < 50; i++) {
            int port = FreePort.find();
            assertThat(port).isBetween(FreePort.LOW, ephemeralLow - 1);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
