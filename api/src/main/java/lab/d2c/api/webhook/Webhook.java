package lab.d2c.api.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import lab.d2c.api.platform.D2cConfig;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.SweepRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs {@code {"event", "id", "status", "name", "time", "error"}} (and {@code sweep_id} for an experiment) to
 * {@code D2C_WEBHOOK_URL} when a sweep or an experiment ends (SUCCEEDED, FAILED or CANCELLED). Deliveries run on
 * one background thread, each attempt with a timeout, a few attempts with a pause between them; a receiver that
 * is down or slow costs a warning in the log, never the sweep: the caller only queues the event. A full queue
 * (a receiver hanging while hundreds of arms end) drops the event with a warning. At least once, not exactly
 * once: an activity retried after its status was written tells again.
 */
public final class Webhook implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Webhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Event names. */
    public static final String SWEEP_ENDED = "sweep.ended";
    public static final String EXPERIMENT_ENDED = "experiment.ended";

    private final URI url;
    private final Settings settings;
    private final HttpClient client;
    private final ThreadPoolExecutor sender;

    /**
     * How deliveries are made.
     *
     * @param timeout  connect and response time of one attempt
     * @param attempts attempts per event (>= 1)
     * @param pause    pause before the second attempt; doubled before each later one
     * @param queue    events waiting at most
     */
    public record Settings(Duration timeout, int attempts, Duration pause, int queue) {
        public static final Settings DEFAULT = new Settings(Duration.ofSeconds(5), 3, Duration.ofSeconds(1), 1000);
    }

    private Webhook(URI url, Settings settings) {
        if (settings.attempts() < 1) {
            throw new IllegalArgumentException("webhook attempts must be >= 1");
        }
        this.url = url;
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(settings.queue()), r -> {
            Thread t = new Thread(r, "d2c-webhook");
            t.setDaemon(true); // a receiver that hangs must not keep the process alive
            return t;
        });
    }

    /** The webhook of {@code D2C_WEBHOOK_URL}, empty when it is not set. */
    public static Optional<Webhook> fromConfig(D2cConfig config) {
        String u = config.webhookUrl();
        return u == null || u.isBlank() ? Optional.empty() : Optional.of(new Webhook(URI.create(u.strip()), Settings.DEFAULT));
    }

    /** A webhook with other delivery settings (tests: short pauses). */
    public static Webhook create(URI url, Settings settings) {
        return new Webhook(url, settings);
    }

    /** Queues {@code sweep.ended} for a sweep now in a final status; returns at once. */
    public void sweepEnded(SweepRecord s) {
        ObjectNode o = event(SWEEP_ENDED, s.id(), s.status().name(), s.name(), s.finishedAt(), s.error());
        send(o);
    }

    /** Queues {@code experiment.ended} for an experiment now in a final status; returns at once. */
    public void experimentEnded(ExperimentRecord e) {
        ObjectNode o = event(EXPERIMENT_ENDED, e.id(), e.status().name(), e.name(), e.finishedAt(), e.error());
        o.put("sweep_id", e.sweepId());
        send(o);
    }

    private static ObjectNode event(String event, String id, String status, String name, Object finishedAt, String error) {
        ObjectNode o = JSON.createObjectNode();
        o.put("event", event);
        o.put("id", id);
        o.put("status", status);
        o.put("name", name);
        o.put("time", finishedAt != null ? finishedAt.toString() : Instant.now().toString());
        o.put("error", error);
        return o;
    }

    private void send(ObjectNode payload) {
        String body = payload.toString();
        String what = payload.path("event").asText() + " " + payload.path("id").asText();
        try {
            sender.execute(() -> deliver(what, body));
        } catch (RejectedExecutionException e) {
            LOG.warn("webhook {}: {} dropped: {} events already waiting (or shutting down)", where(), what,
                    sender.getQueue().size());
        }
    }

    private void deliver(String what, String body) {
        HttpRequest req = HttpRequest.newBuilder(url).timeout(settings.timeout())
                .header("Content-Type", "application/json").header("User-Agent", "d2c-webhook")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        String last = "";
        Duration pause = settings.pause();
        for (int attempt = 1; attempt <= settings.attempts(); attempt++) {
            try {
                HttpResponse<Void> r = client.send(req, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() / 100 == 2) {
                    return;
                }
                last = "HTTP " + r.statusCode();
            } catch (IOException e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (attempt < settings.attempts()) {
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                pause = pause.multipliedBy(2);
            }
        }
        LOG.warn("webhook {}: {} not delivered after {} attempts; last: {}", where(), what, settings.attempts(), last);
    }

    /** Scheme, host and port only: the path of a webhook URL is often its secret. */
    private String where() {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort());
    }

    /** Lets queued deliveries finish for a few seconds, then stops. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            if (!sender.awaitTermination(settings.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            sender.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
