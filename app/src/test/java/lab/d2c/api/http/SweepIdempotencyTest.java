package lab.d2c.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.RpcRetryOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import lab.d2c.app.local.LocalRuntime;
import lab.d2c.app.local.LocalStackFixture;
import lab.d2c.api.sweep.SweepService;
import lab.d2c.store.db.IdempotencyKeyRepository;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.store.embedded.FreePort;
import lab.d2c.workflows.spec.BundledSweeps;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * POST /sweeps with an Idempotency-Key header: parallel and later retries with the key make one
 * sweep and all get its id; the key with another body is refused (422); a malformed key is a 400
 * naming the header; a sweep whose workflow cannot start leaves its key free for a retry. Sweep ids
 * carry 64 random bits.
 */
@Timeout(value = 6, unit = java.util.concurrent.TimeUnit.MINUTES)
class SweepIdempotencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String KEY = "Idempotency-Key";

    private static LocalRuntime rt;
    private static String base;
    private static String spec;

    @BeforeAll
    static void start() {
        // no node worker: the sweeps are launched, nothing needs to run
        rt = LocalRuntime.start(LocalStackFixture.freshConfig("idempotency"), false, 1, LocalStackFixture.quiet());
        base = rt.api().baseUrl() + "/api/v1";
        spec = BundledSweeps.read("smoke");
    }

    @AfterAll
    static void stop() {
        rt.close();
    }

    private record Answer(int status, JsonNode json, boolean replayed) {
    }

    /** A POST /sweeps with the token and these Idempotency-Key values (none, one, or several headers). */
    private static CompletableFuture<Answer> post(String body, String... keys) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + "/sweeps"))
                .header("Content-Type", "application/yaml")
                .header("Authorization", "Bearer " + rt.apiToken().value())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (String k : keys) {
            req.header(KEY, k);
        }
        return CLIENT.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            try {
                return new Answer(r.statusCode(), JSON.readTree(r.body()),
                        r.headers().firstValue("Idempotent-Replayed").map("true"::equals).orElse(false));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** A POST /sweeps over a plain socket, with these bytes as the Idempotency-Key's value; the whole answer. */
    private static String rawPost(byte[] key) throws Exception {
        URI uri = URI.create(base);
        byte[] body = spec.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(30_000);
            var out = new java.io.ByteArrayOutputStream();
            out.writeBytes(("POST /api/v1/sweeps HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nAuthorization: Bearer " + rt.apiToken().value() + "\r\nContent-Type: application/yaml"
                    + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n" + KEY + ": ")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.writeBytes(key);
            out.writeBytes("\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.writeBytes(body);
            socket.getOutputStream().write(out.toByteArray());
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static long sweepCount() {
        return new SweepRepository(rt.platform().database().dataSource()).count();
    }

    @Test
    void fiftyParallelPostsWithOneKeyMakeOneSweepAndAllGetItsId() throws Exception {
        String key = "parallel-" + System.nanoTime();
        long before = sweepCount();
        int n = 50;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                        return post(spec, key).get(2, TimeUnit.MINUTES);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
            }
            go.countDown();
            CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        List<Answer> all = answers.stream().map(CompletableFuture::join).toList();
        assertThat(all).as("statuses").extracting(Answer::status).containsOnly(200, 201);
        assertThat(all.stream().filter(a -> a.status() == 201)).as("created").hasSize(1);
        assertThat(all).allSatisfy(a -> assertThat(a.replayed()).isEqualTo(a.status() == 200));
        JsonNode created = all.stream().filter(a -> a.status() == 201).findFirst().orElseThrow().json();
        assertThat(all).extracting(Answer::json).as("every answer is the creation's body").containsOnly(created);
        assertThat(sweepCount()).isEqualTo(before + 1);
        int keyRows = rt.platform().database().inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT count(*) FROM sweep_idempotency_keys WHERE key = ?")) {
                ps.setString(1, key);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
        assertThat(keyRows).isEqualTo(1);

        // a later retry too
        Answer again = post(spec, key).get();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(created);
        assertThat(sweepCount()).isEqualTo(before + 1);
    }

    @Test
    void theKeyWithAnotherBodyIs422AndCreatesNothing() throws Exception {
        String key = "mismatch-" + System.nanoTime();
        assertThat(post(spec, key).get().status()).isEqualTo(201);
        long before = sweepCount();
        Answer other = post(spec.replace("seeds: [0, 1]", "seeds: [0, 1, 2]"), key).get();
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.json().at("/error/code").asText()).isEqualTo("idempotency_key_reused");
        assertThat(other.json().at("/error/message").asText()).contains("Idempotency-Key", "different request body");
        assertThat(other.json().at("/error/fields/0/path").asText()).isEqualTo(KEY);
        assertThat(sweepCount()).isEqualTo(before);
    }

    @Test
    void malformedKeysAre400NamingTheHeader() throws Exception {
        long before = sweepCount();
        List<String[]> bad = List.of(new String[] {""}, new String[] {"k".repeat(201)}, new String[] {"tab\there"},
                new String[] {"one", "two"});
        for (String[] keys : bad) {
            Answer a = post(spec, keys).get();
            assertThat(a.status()).as("key %s", String.join(" | ", keys)).isEqualTo(400);
            assertThat(a.json().at("/error/message").asText()).startsWith("header 'Idempotency-Key': ");
            assertThat(a.json().at("/error/fields/0/path").asText()).isEqualTo(KEY);
        }
        // Java's client sends only ASCII header bytes; UTF-8 in a key takes a raw request
        String raw = rawPost("caf\u00e9".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(raw).startsWith("HTTP/1.1 400").contains("header 'Idempotency-Key': must be printable ASCII");
        assertThat(sweepCount()).isEqualTo(before);
        // the longest and the widest keys that are allowed
        assertThat(post(spec, "k".repeat(200)).get().status()).isEqualTo(201);
        assertThat(post(spec, " !\"#$%&'()*+,-./0123456789:;<=>?@AZ[\\]^_`az{|}~").get().status()).isEqualTo(201);
    }

    @Test
    void withoutTheHeaderEveryPostMakesASweepWithA64BitId() throws Exception {
        long before = sweepCount();
        Answer a = post(spec).get();
        Answer b = post(spec).get();
        assertThat(List.of(a.status(), b.status())).containsOnly(201);
        assertThat(a.replayed()).isFalse();
        assertThat(a.json().get("id")).isNotEqualTo(b.json().get("id"));
        assertThat(sweepCount()).isEqualTo(before + 2);
        for (Answer x : List.of(a, b)) {
            String id = x.json().get("id").asText();
            assertThat(id).matches("smoke-[0-9a-f]{16}");
            // still a valid path parameter: the sweep and its arms are served
            assertThat(Http.get(base + "/sweeps/" + id).status()).isEqualTo(200);
            assertThat(Http.get(base + "/experiments/" + id + "-a1").status()).isEqualTo(200);
        }
    }

    @Test
    void aSweepThatCouldNotStartFreesItsKey() throws Exception {
        String key = "launch-" + System.nanoTime();
        // the same PostgreSQL, a Temporal address nothing listens on: starting the workflow fails
        WorkflowServiceStubs nowhere = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder()
                .setTarget("127.0.0.1:" + FreePort.find()).setRpcTimeout(Duration.ofSeconds(2))
                .setRpcRetryOptions(RpcRetryOptions.newBuilder().setMaximumAttempts(1).build()).build());
        long before = sweepCount();
        try {
            SweepService failing = new SweepService(rt.platform().database(), WorkflowClient.newInstance(nowhere),
                    "d2c-idempotency");
            assertThatThrownBy(() -> failing.submit(spec, key)).isInstanceOf(SweepService.LaunchException.class);
        } finally {
            nowhere.shutdownNow();
        }
        assertThat(sweepCount()).isEqualTo(before);
        assertThat(new IdempotencyKeyRepository(rt.platform().database().dataSource()).find(key)).isEmpty();

        Answer retry = post(spec, key).get();
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.replayed()).isFalse();
        assertThat(sweepCount()).isEqualTo(before + 1);
    }
}
