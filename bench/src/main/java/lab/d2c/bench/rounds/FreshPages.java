package lab.d2c.bench.rounds;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.DoubleSupplier;

/**
 * The {@link MachineProbe}'s fresh-pages reading: {@value MachineProbe#FRESH_MIB} MiB allocated and zeroed through
 * libtorch, then freed. glibc hands a block this large back to the kernel when it is freed, so every reading maps and
 * faults in new pages, as a sampling step's large temporaries do (BENCHMARKS.md section 1, "Fresh pages").
 */
public final class FreshPages implements DoubleSupplier {

    private final NDManager manager;

    /** @param manager the benchmark's manager; each reading works in a sub-manager it closes */
    public FreshPages(NDManager manager) {
        this.manager = manager;
    }

    /** Milliseconds to allocate, zero and free the block. */
    @Override
    public double getAsDouble() {
        long t0 = System.nanoTime();
        try (NDManager scope = manager.newSubManager()) {
            // zeros is empty + fill: every page is written, so every page is faulted in
            scope.zeros(new Shape((long) MachineProbe.FRESH_MIB << 18), DataType.FLOAT32);
        }
        return (System.nanoTime() - t0) / 1e6;
    }
}
