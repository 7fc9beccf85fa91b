package lab.d2c.app.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import lab.d2c.app.local.LocalRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Start the embedded stack (PostgreSQL, S3, Temporal), a worker and the API; stay up until Ctrl-C.",
                "Any endpoint set in the configuration (D2C_JDBC_URL, D2C_S3_ENDPOINT, D2C_TEMPORAL_ADDRESS) is used instead of its embedded server.",
                "State lives in the data dir and survives restarts; unfinished sweeps resume at start."})
public final class LocalCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions config;

    @Option(names = "--no-worker", description = "Do not run a worker in this process (run ./d2c worker separately).")
    boolean noWorker;

    @Option(names = "--node-slots", defaultValue = "0", description = "Nodes the in-process worker runs at once, the cores split between them;"
            + " 0 (default): 2 on a machine with 2 or more cores, else 1 (BENCHMARKS.md, node slots).")
    int nodeSlots;

    @Override
    public Integer call() throws InterruptedException {
        LocalRuntime rt = LocalRuntime.start(config.load(), !noWorker, LocalNodeSlots.resolve(nodeSlots), System.out);
        System.out.println("d2c local is up. Ctrl-C stops it.");
        awaitShutdown(rt);
        return 0;
    }

    /** Blocks until the JVM is asked to stop, then closes the runtime. */
    static void awaitShutdown(AutoCloseable rt) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                rt.close();
            } catch (Exception e) {
                System.err.println("d2c: " + e.getMessage());
            }
            stopped.countDown();
        }, "d2c-shutdown"));
        stopped.await();
    }
}
