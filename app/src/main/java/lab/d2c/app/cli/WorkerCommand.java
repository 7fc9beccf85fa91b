package lab.d2c.app.cli;

import java.util.concurrent.Callable;
import lab.d2c.api.platform.Endpoints;
import lab.d2c.api.platform.Platform;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.workers.D2cWorker;
import lab.d2c.workers.metrics.MetricsServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "worker", mixinStandardHelpOptions = true,
        description = {"Run a worker against any Temporal, PostgreSQL and S3 (from D2C_* settings).",
                "Unset endpoints default to the ones ./d2c local serves on this machine."})
public final class WorkerCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = "--node-slots", defaultValue = "1", description = "Nodes this worker runs at once (default ${DEFAULT-VALUE}).")
    int nodeSlots;

    @Option(names = "--device", defaultValue = "${env:D2C_DEVICE:-cpu}",
            description = "Where this worker runs models: cpu or gpu:N (default ${DEFAULT-VALUE}; env D2C_DEVICE).")
    String device;

    @Option(names = "--name", description = "Worker identity shown in Temporal and the nodes table.")
    String name;

    @Option(names = "--nodes-only", description = {"Serve node work only, not workflows. Automatic when joining the",
            "embedded Temporal of ./d2c local, which keeps workflows in its own process."})
    boolean nodesOnly;

    @Option(names = "--metrics-host", defaultValue = "${env:D2C_METRICS_HOST:-127.0.0.1}",
            description = "Address of this worker's Prometheus endpoint /metrics (default ${DEFAULT-VALUE}; env D2C_METRICS_HOST).")
    String metricsHost;

    @Option(names = "--metrics-port", defaultValue = "${env:D2C_METRICS_PORT:-" + MetricsServer.DEFAULT_PORT + "}",
            description = "Its port; 0 = no endpoint (default ${DEFAULT-VALUE}; env D2C_METRICS_PORT).")
    int metricsPort;

    @Override
    public Integer call() throws InterruptedException {
        if (metricsPort < 0 || metricsPort > 65535) {
            throw CliError.usage("--metrics-port (D2C_METRICS_PORT): not a port number: " + metricsPort);
        }
        D2cConfig cfg = Endpoints.withLocalDefaults(config.load());
        System.out.println("d2c worker: temporal " + cfg.temporalAddress() + ", postgres " + cfg.jdbcUrl() + ", s3 " + cfg.s3Endpoint());
        Platform platform = Platform.connect(cfg);
        D2cWorker.Builder b = D2cWorker.builder().setClient(platform.client()).setTaskQueue(cfg.taskQueue())
                .setDatabase(platform.database()).setArtifacts(platform.artifacts()).optNodeSlots(nodeSlots).optDevice(device)
                .optNodeHeartbeat(java.time.Duration.ofSeconds(cfg.nodeHeartbeatS())).optFileRoots(cfg.fileRootPaths());
        if (name != null) {
            b.optName(name);
        }
        boolean onlyNodes = nodesOnly || lab.d2c.app.local.EmbeddedTemporal.isEmbedded(cfg.dataDir(), cfg.temporalAddress());
        b.optRoles(!onlyNodes, true);
        // the ledger runs where the workflows do: only then can this process tell a run's end
        lab.d2c.app.local.RunEndWebhook webhook = onlyNodes ? null : lab.d2c.app.local.RunEndWebhook.fromConfig(cfg).orElse(null);
        if (webhook != null) {
            b.optRunEndListener(webhook);
        }
        D2cWorker worker = b.start();
        System.out.println("d2c worker " + worker.name() + " polling " + (onlyNodes ? lab.d2c.workflows.node.NodeActivityOptions
                .nodeQueue(cfg.taskQueue()) + " (node work only; workflows run in ./d2c local)" : cfg.taskQueue()
                + " (+ -nodes)") + ". Ctrl-C stops it.");
        MetricsServer metrics = startMetrics();
        LocalCommand.awaitShutdown(() -> {
            if (metrics != null) {
                metrics.close();
            }
            worker.close();
            if (webhook != null) {
                webhook.close();
            }
            platform.close();
        });
        return 0;
    }

    /**
     * The Prometheus endpoint, or null when it is off or its address is taken: metrics are worth a warning,
     * not a worker that refuses to work (a second worker on one machine needs its own D2C_METRICS_PORT).
     */
    private MetricsServer startMetrics() {
        if (metricsPort == 0) {
            return null;
        }
        try {
            MetricsServer server = MetricsServer.start(metricsHost, metricsPort);
            System.out.println("d2c worker: Prometheus metrics on http://" + server.address() + "/metrics");
            return server;
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("d2c worker: no metrics endpoint: cannot bind " + metricsHost + ":" + metricsPort + " ("
                    + e.getMessage() + "); set D2C_METRICS_PORT to a free port, or 0 for none");
            return null;
        }
    }
}
