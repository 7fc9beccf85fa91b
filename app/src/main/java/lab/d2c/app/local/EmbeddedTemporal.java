package lab.d2c.app.local;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import lab.d2c.store.embedded.FreePort;

/**
 * Temporal's own Java service implementation on a local port, so separate worker processes
 * can connect. Real time (time skipping locked). Its state is in memory: PostgreSQL stays
 * the source of truth, and local mode restarts unfinished sweeps when it starts again.
 *
 * <p>The service has no authentication, so it binds one address, 127.0.0.1 unless
 * {@code D2C_EMBEDDED_HOST} says otherwise. Temporal's {@code TestServer.createPortBoundServer}
 * binds every interface (gRPC's {@code forPort}); this class builds the same services
 * ({@link TestServicesStarter}, health checks included) on an explicit address instead.
 */
public final class EmbeddedTemporal implements AutoCloseable {

    private final TestServicesStarter services;
    private final Server server;
    private final String host;

    private EmbeddedTemporal(TestServicesStarter services, Server server, String host) {
        this.services = services;
        this.server = server;
        this.host = host;
    }

    /** The service on {@code host:port} (port 0 = a free one). */
    public static EmbeddedTemporal start(String host, int port) {
        int p = port == 0 ? FreePort.find() : port;
        TestServicesStarter services = new TestServicesStarter(true, 0);
        try {
            NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress(host, p));
            GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
            Server server = builder.build().start();
            return new EmbeddedTemporal(services, server, host);
        } catch (IOException | RuntimeException e) {
            services.close();
            throw new IllegalStateException("cannot start the embedded Temporal service on " + host + ":" + p
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
    public static void recordAddress(Path dataDir, String address) {
        try {
            Files.createDirectories(dataDir);
            Files.writeString(dataDir.resolve(ADDRESS_FILE), address + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dataDir.resolve(ADDRESS_FILE), e);
        }
    }

    /** True when {@code address} is the embedded service that local mode on {@code dataDir} recorded. */
    public static boolean isEmbedded(Path dataDir, String address) {
        try {
            Path f = dataDir.resolve(ADDRESS_FILE);
            return Files.isRegularFile(f) && Files.readString(f).trim().equals(address);
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code host:port} for clients; 127.0.0.1 when it binds every interface. */
    public String address() {
        String h = host.equals("0.0.0.0") ? "127.0.0.1" : host.contains(":") ? "[" + host + "]" : host;
        return h + ":" + server.getPort();
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        services.close();
    }
}
