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

    /** The file in a data dir that names the embedded service's address while local mode runs. */
    public static final String ADDRESS_FILE = "temporal-embedded";

    /**
     * Notes in the data dir that {@code address} is this embedded service. A worker joining it then
     * serves node work only: the embedded service does not hand a dead worker's workflow tasks to
     * another one (a real Temporal server times them out), so workflows stay in ./d2c local.
     */
    public static void recordAddress(java.nio.file.Path dataDir, String address) {
        try {
            java.nio.file.Files.createDirectories(dataDir);
            java.nio.file.Files.writeString(dataDir.resolve(ADDRESS_FILE), address + "\n");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + dataDir.resolve(ADDRESS_FILE), e);
        }
    }

    /** True when {@code address} is the embedded service that local mode on {@code dataDir} recorded. */
    public static boolean isEmbedded(java.nio.file.Path dataDir, String address) {
        try {
            java.nio.file.Path f = dataDir.resolve(ADDRESS_FILE);
            return java.nio.file.Files.isRegularFile(f) && java.nio.file.Files.readString(f).trim().equals(address);
        } catch (java.io.IOException e) {
            return false;
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
