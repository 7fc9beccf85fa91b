package lab.d2c.app.local;

import java.io.PrintStream;
import lab.d2c.api.platform.Platform;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.app.cli.D2cCli;
import lab.d2c.bench.platform.LocalStacks;
import lab.d2c.api.platform.D2cConfig;

/**
 * Local mode as the platform and memory benchmarks see it ({@link LocalStacks}): each stack a
 * {@link LocalRuntime}, each worker process {@link D2cCli}. The bench module declares the interface and this
 * module implements it, since app depends on bench (it assembles the jar) and not the other way round.
 */
public final class LocalModeStacks implements LocalStacks {

    public static final LocalModeStacks INSTANCE = new LocalModeStacks();

    private LocalModeStacks() {
    }

    @Override
    public Running start(D2cConfig config, boolean withWorker, int nodeSlots, PrintStream out) {
        return new Started(LocalRuntime.start(config, withWorker, nodeSlots, out));
    }

    @Override
    public String cliMainClass() {
        return D2cCli.class.getName();
    }

    private record Started(LocalRuntime runtime) implements Running {

        @Override
        public Platform platform() {
            return runtime.platform();
        }

        @Override
        public SweepService sweeps() {
            return runtime.sweeps();
        }

        @Override
        public void close() {
            runtime.close();
        }
    }
}
