package lab.d2c.app.cli;

/**
 * How many nodes {@code ./d2c local} and {@code ./d2c demo} run at once. On the 2-core VM the demo
 * with two slots of one libtorch thread each kept 95% of both cores busy (190% CPU) against 149%
 * with one slot of two threads: most nodes are small enough that a second thread idles in
 * synchronisation, and the graph has independent branches (RDPM beside D2C, the arms' stage-two
 * trainings and samplers) to fill a second slot (BENCHMARKS.md, "Node slots").
 */
final class LocalNodeSlots {

    private LocalNodeSlots() {
    }

    /** {@code requested} when positive; otherwise the default for this machine's cores. */
    static int resolve(int requested) {
        if (requested < 0) {
            throw CliError.usage("--node-slots: must be >= 0 (0: the default for this machine), got " + requested);
        }
        return requested > 0 ? requested : defaultFor(Runtime.getRuntime().availableProcessors());
    }

    /** Two slots from two cores up (each gets half the cores as intra-op threads), one below. */
    static int defaultFor(int cores) {
        return cores >= 2 ? 2 : 1;
    }
}
