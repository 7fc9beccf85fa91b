package lab.d2c.store.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Picks a port nobody listens on right now (there is a small race until the server binds it). */
public final class FreePort {

    private FreePort() {
    }

    /** A loopback port free at this moment. */
    public static int find() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free local port", e);
        }
    }

    /** The given port, or a free one when it is 0. */
    public static int orGiven(int port) {
        return port != 0 ? port : find();
    }
}
