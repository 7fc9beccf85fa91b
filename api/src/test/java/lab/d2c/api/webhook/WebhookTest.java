package lab.d2c.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The webhook against a loopback receiver (the JDK's HttpServer): the JSON it posts, a retry after a failed
 * attempt, a warning (not an exception) when the receiver is down, and a caller that never waits on a hanging one.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class WebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Webhook.Settings QUICK = new Webhook.Settings(Duration.ofSeconds(1), 3, Duration.ofMillis(50), 10);

    private HttpServer receiver;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final AtomicInteger failFirst = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private CountDownLatch hang;

    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook/secret-path", ex -> {
            requests.incrementAndGet();
            byte[] body = ex.getRequestBody().readAllBytes();
            if (hang != null) {
                try {
                    hang.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean fail = failFirst.getAndDecrement() > 0;
            if (!fail) {
                received.add(JSON.readTree(body));
                assertThat(ex.getRequestHeaders().getFirst("Content-Type")).isEqualTo("application/json");
            }
            ex.sendResponseHeaders(fail ? 503 : 204, -1);
            ex.close();
        });
        receiver.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(2));
        receiver.start();
        log.start();
        ((Logger) LoggerFactory.getLogger(Webhook.class)).addAppender(log);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger(Webhook.class)).detachAppender(log);
        receiver.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook/secret-path");
    }

    private static SweepRecord sweep(Status status, String error) {
        return new SweepRecord("demo-0123", "demo", "name: demo", "{}", status, 2, "sweep-demo-0123", error,
                Instant.parse("2026-01-02T03:04:05Z"), null, Instant.parse("2026-01-02T04:05:06Z"), List.of(), "");
    }

    @Test
    void postsTheSweepAndExperimentEventsAsJson() throws Exception {
        try (Webhook hook = Webhook.create(url(), QUICK)) {
            hook.sweepEnded(sweep(Status.FAILED, "1 of 2 arms failed"));
            ExperimentRecord e = ExperimentRecord.pending("demo-0123-a1", "demo-0123", 1, "q-former", 0, "{}", "{}", "wf");
            hook.experimentEnded(e);
            JsonNode s = received.poll(10, TimeUnit.SECONDS);
            assertThat(s).isNotNull();
            assertThat(s.get("event").asText()).isEqualTo("sweep.ended");
            assertThat(s.get("id").asText()).isEqualTo("demo-0123");
            assertThat(s.get("status").asText()).isEqualTo("FAILED");
            assertThat(s.get("name").asText()).isEqualTo("demo");
            assertThat(s.get("time").asText()).isEqualTo("2026-01-02T04:05:06Z");
            assertThat(s.get("error").asText()).isEqualTo("1 of 2 arms failed");
            JsonNode x = received.poll(10, TimeUnit.SECONDS);
            assertThat(x.get("event").asText()).isEqualTo("experiment.ended");
            assertThat(x.get("id").asText()).isEqualTo("demo-0123-a1");
            assertThat(x.get("sweep_id").asText()).isEqualTo("demo-0123");
            assertThat(x.get("name").asText()).isEqualTo("q-former");
            assertThat(x.get("status").asText()).isEqualTo("PENDING");
            assertThat(Instant.parse(x.get("time").asText())).as("no finished_at yet: now").isAfter(Instant.now().minusSeconds(60));
        }
    }

    @Test
    void aFailedAttemptIsRetried() throws Exception {
        failFirst.set(2);
        try (Webhook hook = Webhook.create(url(), QUICK)) {
            hook.sweepEnded(sweep(Status.SUCCEEDED, null));
            JsonNode s = received.poll(10, TimeUnit.SECONDS);
            assertThat(s).as("delivered on the third attempt").isNotNull();
            assertThat(s.get("status").asText()).isEqualTo("SUCCEEDED");
            assertThat(s.get("error").isNull()).isTrue();
        }
        assertThat(requests.get()).isEqualTo(3);
        assertThat(log.list).isEmpty();
    }

    @Test
    void aReceiverThatIsDownCostsAWarningWithoutTheSecretPath() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        try (Webhook hook = Webhook.create(URI.create("http://127.0.0.1:" + port + "/hook/secret-path"), QUICK)) {
            hook.sweepEnded(sweep(Status.CANCELLED, "cancelled"));
        } // close waits for the queued delivery's attempts
        assertThat(log.list).hasSize(1);
        String warning = log.list.get(0).getFormattedMessage();
        assertThat(warning).contains("sweep.ended demo-0123", "not delivered after 3 attempts", "127.0.0.1:" + port)
                .doesNotContain("secret-path");
    }

    @Test
    void theCallerNeverWaitsForAHangingReceiver() throws Exception {
        hang = new CountDownLatch(1);
        try (Webhook hook = Webhook.create(url(), QUICK)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                hook.sweepEnded(sweep(Status.SUCCEEDED, null));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("20 events queued, none sent yet")
                    .isLessThan(Duration.ofMillis(500));
            // queue of 10 behind one in flight: the rest were dropped, each with a warning
            assertThat(log.list).anyMatch(e -> e.getFormattedMessage().contains("dropped"));
            hang.countDown();
        }
    }
}
