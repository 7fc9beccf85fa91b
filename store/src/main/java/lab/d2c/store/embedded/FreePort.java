package lab.d2c.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks a loopback port nobody listens on right now. There is a window until the server binds it; the port
 * comes from below the kernel's ephemeral range, because a port from {@code new ServerSocket(0)} lies in
 * that range, where every outgoing connection (a JDBC pool, the S3 client) also takes its local port, so
 * it could be taken by a client socket before the server binds it (CI saw exactly that).
 */
public final class FreePort {

    /** The lowest port chosen: above the registered well-known services most machines run. */
    static final int LOW = 10_000;
    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int TRIES = 200;

    private FreePort() {
    }

    /** A loopback port free at this moment, outside the ephemeral range where the platform knows it. */
    public static int find() {
        int high = ephemeralLow() - 1;
        if (high - LOW >= 1_000) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < TRIES; i++) {
                int port = random.nextInt(LOW, high + 1);
                if (isFree(port)) {
                    return port;
                }
            }
        }
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free local port", e);
        }
    }

    /** The given port, or a free one when it is 0. */
    public static int orGiven(int port) {
        return port != 0 ? port : find();
    }

    /** The first port of the kernel's ephemeral range (Linux); 0 where it cannot be read. */
    static int ephemeralLow() {
        try {
            // not Files.readString: a /proc/sys file reports size 0, and readString's first one-byte read
            // then left the rest unread ("3" for "32768 60999"); a buffered reader takes it in one read
            String[] range = Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+");
            return Integer.parseInt(range[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
