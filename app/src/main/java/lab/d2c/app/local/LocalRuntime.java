package lab.d2c.app.local;

import java.io.PrintStream;
import lab.d2c.api.http.ApiServer;
import lab.d2c.api.http.ApiToken;
import lab.d2c.api.platform.Platform;
import lab.d2c.api.sweep.SweepRecovery;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.workers.D2cWorker;

/**
 * Everything {@code ./d2c local} runs in one JVM: the embedded servers, an optional
 * worker, and the API. On start it restarts the sweeps PostgreSQL says are unfinished.
 */
public final class LocalRuntime implements AutoCloseable {

    private final StartedParts parts = new StartedParts();
    private Platform platform;
    private ApiServer api;
    private ApiToken token;
    private SweepService sweeps;

    private LocalRuntime() {
    }

    /**
     * @param withWorker whether to run a worker in this process
     * @param nodeSlots  nodes the worker runs at once
     */
    public static LocalRuntime start(D2cConfig requested, boolean withWorker, int nodeSlots, PrintStream out) {
        LocalRuntime rt = new LocalRuntime();
        try {
            rt.startAll(requested, withWorker, nodeSlots, out);
            return rt;
        } catch (RuntimeException e) {
            rt.close();
            throw e;
        }
    }

    private void startAll(D2cConfig requested, boolean withWorker, int nodeSlots, PrintStream out) {
        out.println("d2c local: data dir " + requested.dataDir());
        parts.reportTo(out);
        LocalStack stack = parts.add("servers", LocalStack.start(requested, out));
        platform = parts.add("connections", Platform.connect(stack.config()));
        sweeps = new SweepService(platform.database(), platform.client(), stack.config().taskQueue());
        // Workflows always run here, so the ledger that tells a run's end does too; added before the worker,
        // it is closed after it (parts close in reverse), letting the last events go out.
        RunEndWebhook webhook = RunEndWebhook.fromConfig(stack.config()).map(w -> parts.add("webhook", w)).orElse(null);
        // Workflows always run here; node work too unless --no-worker (then ./d2c worker processes do it).
        D2cWorker worker = D2cWorker.builder()
                .setClient(platform.client())
                .setTaskQueue(stack.config().taskQueue())
                .setDatabase(platform.database())
                .setArtifacts(platform.artifacts())
                .optNodeSlots(nodeSlots)
                .optNodeHeartbeat(java.time.Duration.ofSeconds(stack.config().nodeHeartbeatS()))
                .optFileRoots(stack.config().fileRootPaths())
                .optDevice(device())
                .optRoles(true, withWorker)
                .optRunEndListener(webhook != null ? webhook : lab.d2c.workers.ledger.RunEndListener.NONE)
                .start();
        parts.add("worker", worker);
        if (withWorker) {
            out.println("  worker     " + worker.name() + " polling " + worker.taskQueue() + " (+ -nodes) on " + device());
        } else {
            out.println("  worker     workflows only in this process; node work needs ./d2c worker");
        }
        token = ApiToken.resolve(stack.config());
        api = ApiServer.start(platform, sweeps, token);
        parts.add("api", api);
        out.println("  api        " + api.baseUrl() + "/api/v1   (OpenAPI: /api/v1/openapi.json)");
        out.println("  pages      " + api.baseUrl() + "/ui/");
        token.announce(out);
        if (webhook != null) {
            out.println("  webhook    a POST when a sweep or an experiment ends (D2C_WEBHOOK_URL)");
        }
        int resumed = new SweepRecovery(platform.database(), platform.client(), sweeps).resumeUnfinished();
        if (resumed > 0) {
            out.println("  resumed    " + resumed + " unfinished sweep(s) from PostgreSQL");
        }
    }

    public Platform platform() {
        return platform;
    }

    public ApiServer api() {
        return api;
    }

    /** The bearer token of the API's mutating routes. */
    public ApiToken apiToken() {
        return token;
    }

    public SweepService sweeps() {
        return sweeps;
    }

    /** Stops the API, the worker, the connections, then the servers (PostgreSQL last). */
    @Override
    public void close() {
        parts.close();
    }

    /** The device of the in-process worker: {@code D2C_DEVICE}, default {@code cpu}. */
    private static String device() {
        String d = System.getenv("D2C_DEVICE");
        return d == null || d.isBlank() ? "cpu" : d;
    }
}
