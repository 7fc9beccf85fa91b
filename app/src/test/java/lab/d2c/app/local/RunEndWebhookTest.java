package lab.d2c.app.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import lab.d2c.api.http.Http;
import lab.d2c.api.webhook.Webhook;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workers.ledger.LedgerActivitiesImpl;
import lab.d2c.workflows.spec.BundledSweeps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * {@code D2C_WEBHOOK_URL} on the local stack, against a loopback receiver: a sweep cancelled through the API tells
 * the end of each arm and of the sweep from the ledger; a sweep the ledger finishes as FAILED tells that with its
 * error; with the receiver down the next sweep still ends, and the log says the event was not delivered.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class RunEndWebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sweepsAndExperimentsTellTheirEndAndADownReceiverCostsOnlyAWarning() throws Exception {
        BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", ex -> {
            received.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger webhookLog = (Logger) LoggerFactory.getLogger(Webhook.class);
        webhookLog.addAppender(log);
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        try (LocalRuntime rt = LocalRuntime.start(LocalStackFixture.freshConfig("webhook", Map.of("D2C_WEBHOOK_URL", url)),
                false, 1, LocalStackFixture.quiet())) {
            String base = rt.api().baseUrl() + "/api/v1";
            String token = rt.apiToken().value();

            // no node worker: the arms wait for work until cancelled; the workflows' ledger records their end
            String sweep = submitAndCancel(base, token);
            List<JsonNode> events = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonNode e = received.poll(60, TimeUnit.SECONDS);
                assertThat(e).as("event %d of 3 (2 arms, the sweep); got %s", i + 1, events).isNotNull();
                events.add(e);
            }
            JsonNode last = events.get(2);
            assertThat(last.get("event").asText()).isEqualTo("sweep.ended");
            assertThat(last.get("id").asText()).isEqualTo(sweep);
            assertThat(last.get("status").asText()).isEqualTo("CANCELLED");
            assertThat(last.get("name").asText()).isEqualTo("smoke");
            assertThat(last.get("time").asText()).isNotBlank();
            for (JsonNode arm : events.subList(0, 2)) {
                assertThat(arm.get("event").asText()).isEqualTo("experiment.ended");
                assertThat(arm.get("sweep_id").asText()).isEqualTo(sweep);
                assertThat(arm.get("status").asText()).isEqualTo("CANCELLED");
            }

            // a sweep the ledger finishes with a failed arm: FAILED, with the ledger's error
            DataSource ds = rt.platform().database().dataSource();
            rt.platform().database().inTransaction(c -> {
                new SweepRepository(ds).insert(c, SweepRecord.pending("failing", "failing", "name: failing", "{}", 1, "wf-f"));
                new ExperimentRepository(ds).insert(c, ExperimentRecord.pending("failing-a0", "failing", 0, "arm0", 0, "{}",
                        "{}", "wf-f0"));
                return null;
            });
            new ExperimentRepository(ds).updateStatus("failing-a0", Status.FAILED, "out of memory");
            try (RunEndWebhook hook = RunEndWebhook.fromConfig(rt.platform().config()).orElseThrow()) {
                String status = new LedgerActivitiesImpl(rt.platform().client(), new NodeRepository(ds),
                        new ExperimentRepository(ds), new SweepRepository(ds), hook).finishSweep("failing");
                assertThat(status).isEqualTo("FAILED");
            }
            JsonNode failed = received.poll(30, TimeUnit.SECONDS);
            assertThat(failed).isNotNull();
            assertThat(failed.get("event").asText()).isEqualTo("sweep.ended");
            assertThat(failed.get("id").asText()).isEqualTo("failing");
            assertThat(failed.get("status").asText()).isEqualTo("FAILED");
            assertThat(failed.get("error").asText()).contains("1 of 1 arms failed", "out of memory");

            // the receiver goes away: the sweep still ends, the webhook warns
            receiver.stop(0);
            String second = submitAndCancel(base, token);
            assertThat(Http.get(base + "/sweeps/" + second).json().get("status").asText()).isEqualTo("CANCELLED");
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (log.list.stream().noneMatch(e -> e.getFormattedMessage().contains("sweep.ended " + second))
                    && System.nanoTime() < end) {
                Thread.sleep(200);
            }
            assertThat(log.list).as("warnings").anyMatch(e -> e.getFormattedMessage().contains("sweep.ended " + second)
                    && e.getFormattedMessage().contains("not delivered"));
        } finally {
            webhookLog.detachAppender(log);
            receiver.stop(0);
        }
    }

    /** Submits the smoke sweep, cancels it and waits until it is CANCELLED. */
    private static String submitAndCancel(String base, String token) throws Exception {
        Http.Response r = Http.post(base + "/sweeps", BundledSweeps.read("smoke"), "application/yaml", token);
        assertThat(r.status()).isEqualTo(201);
        String id = r.json().get("id").asText();
        // every arm's workflow must have started (and recorded RUNNING) for each to record its own end
        awaitStatus(base, id, "RUNNING");
        JsonNode s = null;
        for (long end = System.nanoTime() + Duration.ofSeconds(120).toNanos(); System.nanoTime() < end; Thread.sleep(200)) {
            s = Http.get(base + "/sweeps/" + id).json();
            boolean allRunning = true;
            for (JsonNode arm : s.get("experiments")) {
                allRunning &= arm.get("status").asText().equals("RUNNING");
            }
            if (allRunning) {
                break;
            }
        }
        assertThat(Http.post(base + "/sweeps/" + id + "/cancel", "", "application/json", token).status()).isEqualTo(202);
        awaitStatus(base, id, "CANCELLED");
        return id;
    }

    private static void awaitStatus(String base, String id, String status) throws Exception {
        JsonNode s = null;
        for (long end = System.nanoTime() + Duration.ofSeconds(120).toNanos(); System.nanoTime() < end; Thread.sleep(200)) {
            s = Http.get(base + "/sweeps/" + id).json();
            if (status.equals(s.get("status").asText())) {
                return;
            }
        }
        throw new AssertionError("sweep " + id + " not " + status + ": " + s);
    }
}
