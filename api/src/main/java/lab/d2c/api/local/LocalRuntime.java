package lab.d2c.api.local;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import lab.d2c.api.http.ApiServer;
import lab.d2c.api.http.ApiToken;
import lab.d2c.api.platform.Platform;
import lab.d2c.api.sweep.SweepRecovery;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.store.config.D2cConfig;
import lab.d2c.workers.D2cWorker;

/**
 * Everything {@code ./d2c local} runs in one JVM: the embedded servers, an optional
 * worker, and the API. On start it restarts the sweeps PostgreSQL says are unfinished.
 */
public final class LocalRuntime implements AutoCloseable {

    private final List<AutoCloseable> parts = new ArrayList<>();
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
        LocalStack stack = LocalStack.start(requested, out);
        parts.add(stack);
        platform = Platform.connect(stack.config());
        parts.add(platform);
        sweeps = new SweepService(platform.database(), platform.client(), stack.config().taskQueue());
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
                .start();
        parts.add(worker);
        if (withWorker) {
            out.println("  worker     " + worker.name() + " polling " + worker.taskQueue() + " (+ -nodes) on " + device());
        } else {
            out.println("  worker     workflows only in this process; node work needs ./d2c worker");
        }
        token = ApiToken.resolve(stack.config());
        api = ApiServer.start(platform, sweeps, stack.config().apiHost(), stack.config().apiPort(), token);
        parts.add(api);
        out.println("  api        " + api.baseUrl() + "/api/v1   (OpenAPI: /api/v1/openapi.json)");
        out.println("  pages      " + api.baseUrl() + "/ui/");
        if (token.created()) {
            // printed once, at creation; later starts only say where it is
            out.println("  api token  " + token.value() + "   (new; kept in " + token.file() + ", mode 0600)");
        } else {
            out.println("  api token  " + (token.file() == null ? "from D2C_API_TOKEN" : "in " + token.file()));
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

    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                System.err.println("d2c: stopping " + parts.get(i).getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        parts.clear();
    }

    /** The device of the in-process worker: {@code D2C_DEVICE}, default {@code cpu}. */
    private static String device() {
        String d = System.getenv("D2C_DEVICE");
        return d == null || d.isBlank() ? "cpu" : d;
    }
}
