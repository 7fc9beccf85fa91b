package lab.d2c.api.local;

import io.temporal.testserver.TestServer;
import lab.d2c.store.embedded.FreePort;

/**
 * Temporal's own Java service implementation on a local port, so separate worker processes
 * can connect. Real time (time skipping locked). Its state is in memory: PostgreSQL stays
 * the source of truth, and local mode restarts unfinished sweeps when it starts again.
 */
public final class EmbeddedTemporal implements AutoCloseable {

    private final TestServer.PortBoundTestServer server;
    private final int port;

    private EmbeddedTemporal(TestServer.PortBoundTestServer server, int port) {
        this.server = server;
        this.port = port;
    }

    public static EmbeddedTemporal start(int port) {
        int p = port == 0 ? FreePort.find() : port;
        try {
            return new EmbeddedTemporal(TestServer.createPortBoundServer(p, true), p);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the embedded Temporal service on 127.0.0.1:" + p
                    + " (is another ./d2c local running? set D2C_EMBEDDED_TEMPORAL_PORT): " + e.getMessage(), e);
        }
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.close();
    }
}
