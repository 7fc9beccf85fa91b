package lab.d2c.workers.node;

/** Where a running node reports progress: Temporal heartbeats and the nodes table. */
public interface ProgressReporter {

    /**
     * @param fraction 0..1
     * @param message  what is happening, for people
     * @param details  small heartbeat details (step, loss, checkpoint key...), or null
     */
    void report(double fraction, String message, Object details);
}
