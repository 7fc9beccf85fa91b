package lab.d2c.app.local;

import java.util.Optional;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.api.webhook.Webhook;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.workers.ledger.RunEndListener;

/**
 * The ledger's end-of-run events handed to the API module's {@link Webhook}: the two modules know nothing of each
 * other (the API must not depend on workers), so the app joins them here.
 */
public final class RunEndWebhook implements RunEndListener, AutoCloseable {

    private final Webhook webhook;

    private RunEndWebhook(Webhook webhook) {
        this.webhook = webhook;
    }

    /** The listener for {@code D2C_WEBHOOK_URL}, empty when it is not set. */
    public static Optional<RunEndWebhook> fromConfig(D2cConfig config) {
        return Webhook.fromConfig(config).map(RunEndWebhook::new);
    }

    @Override
    public void sweepEnded(SweepRecord sweep) {
        webhook.sweepEnded(sweep);
    }

    @Override
    public void experimentEnded(ExperimentRecord experiment) {
        webhook.experimentEnded(experiment);
    }

    @Override
    public void close() {
        webhook.close();
    }
}
