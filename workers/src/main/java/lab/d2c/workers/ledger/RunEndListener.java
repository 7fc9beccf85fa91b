package lab.d2c.workers.ledger;

import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.SweepRecord;

/**
 * Told when the ledger records that a sweep or an experiment has ended (SUCCEEDED, FAILED or CANCELLED), after
 * the status is written. The app hands the webhook in here; workers know nothing of HTTP. A listener must return
 * quickly and may throw: the ledger logs it and goes on, the sweep never waits for or fails on it.
 */
public interface RunEndListener {

    /** Tells nobody. */
    RunEndListener NONE = new RunEndListener() {
        @Override
        public void sweepEnded(SweepRecord sweep) {
        }

        @Override
        public void experimentEnded(ExperimentRecord experiment) {
        }
    };

    void sweepEnded(SweepRecord sweep);

    void experimentEnded(ExperimentRecord experiment);
}
