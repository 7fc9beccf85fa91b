package lab.d2c.bench.platform;

import java.io.PrintStream;
import lab.d2c.api.platform.Platform;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.api.platform.D2cConfig;

/**
 * What the platform and memory benchmarks need of local mode: a fresh stack to submit sweeps to, and the
 * main class of the {@code d2c} command line (to start {@code d2c worker} in its own JVM). Local mode and the
 * CLI live in the app module, which assembles the jar and so depends on this one; app's {@code bench}
 * command hands in the implementation, so that bench never names app (no module cycle).
 */
public interface LocalStacks {

    /** A running stack, closed in local mode's order (API and workers first, PostgreSQL last). */
    interface Running extends AutoCloseable {

        /** The connections: ledger, artifact store, Temporal client, and the configuration with every endpoint set. */
        Platform platform();

        SweepService sweeps();

        @Override
        void close();
    }

    /**
     * Starts what {@code ./d2c local} starts: embedded servers for the endpoints {@code config} leaves empty,
     * the API, and a worker in this process that runs the workflows, and node work too when {@code withWorker}.
     */
    Running start(D2cConfig config, boolean withWorker, int nodeSlots, PrintStream out);

    /** The class whose {@code main} is the {@code d2c} command line, on this process's class path. */
    String cliMainClass();
}
