package lab.d2c.store.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FreePortTest {

    @Test
    void portsComeFromBelowTheEphemeralRangeAndCanBeBound() throws Exception {
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        assumeTrue(Files.isReadable(range), "needs Linux's ip_local_port_range");
        int ephemeralLow = FreePort.ephemeralLow();
        // the whole first number, as the kernel writes it (a short read once gave 3 for 32768)
        assertThat(ephemeralLow).isEqualTo(Integer.parseInt(Files.readAllLines(range).get(0).trim().split("\\s+")[0]));
        assumeTrue(ephemeralLow - FreePort.LOW > 1_000, "the ephemeral range starts within 1,000 of " + FreePort.LOW);
        for (int i = 0; i < 50; i++) {
            int port = FreePort.find();
            assertThat(port).isBetween(FreePort.LOW, ephemeralLow - 1);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            }
        }
    }
}
