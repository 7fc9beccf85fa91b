package lab.d2c.api.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import lab.d2c.store.db.Database;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.IdempotencyKeyRepository;
import lab.d2c.store.db.Status;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workflows.experiment.ExperimentRequest;
import lab.d2c.workflows.spec.Arm;
import lab.d2c.workflows.spec.SweepSpec;
import lab.d2c.workflows.spec.SweepSpecParser;
import lab.d2c.workflows.sweep.SweepRequest;
import lab.d2c.workflows.sweep.SweepWorkflow;

/**
 * Submits sweeps. Nothing is half-done: an invalid spec writes nothing; a valid one is
 * recorded (sweep + arms, and its idempotency key if it came with one) in one transaction, and
 * if Temporal then refuses the workflow the record is removed again before the error is reported.
 */
public final class SweepService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Random bytes of a sweep id: 64 bits, so ids cannot be guessed or collide in practice. */
    static final int ID_RANDOM_BYTES = 8;
    /** Tries of a keyed submission whose key's holder committed and then vanished (its workflow did not start). */
    private static final int CLAIM_TRIES = 3;

    private final Database database;
    private final WorkflowClient client;
    private final String taskQueue;
    private final SweepRepository sweeps;
    private final ExperimentRepository experiments;
    private final IdempotencyKeyRepository keys;
    private final int maxArms;

    public SweepService(Database database, WorkflowClient client, String taskQueue) {
        this(database, client, taskQueue, SweepSpecParser.DEFAULT_MAX_ARMS);
    }

    public SweepService(Database database, WorkflowClient client, String taskQueue, int maxArms) {
        this.database = database;
        this.client = client;
        this.taskQueue = taskQueue;
        this.sweeps = new SweepRepository(database.dataSource());
        this.experiments = new ExperimentRepository(database.dataSource());
        this.keys = new IdempotencyKeyRepository(database.dataSource());
        this.maxArms = maxArms;
    }

    public int maxArms() {
        return maxArms;
    }

    /**
     * A launched sweep.
     *
     * @param replayed true when an earlier request with the same idempotency key and body created it
     */
    public record Submitted(String sweepId, List<String> experimentIds, boolean replayed) {
    }

    /**
     * Validates and launches a sweep file (YAML or JSON).
     *
     * @throws lab.d2c.workflows.spec.SpecException with field errors when the spec is invalid
     * @throws LaunchException when the workflow could not be started (nothing is left recorded)
     */
    public Submitted submit(String specText) {
        return submit(specText, null);
    }

    /**
     * As {@link #submit(String)}, once per {@code idempotencyKey}: the first request with a key
     * creates the sweep; any later or concurrent one with the same key and the same body gets that
     * sweep back ({@link Submitted#replayed()}), one with another body is refused. PostgreSQL's
     * unique key decides the race, so it holds across API processes.
     *
     * @param idempotencyKey null: no key, every call creates a sweep
     * @throws KeyReusedException when the key was used with another body
     */
    public Submitted submit(String specText, String idempotencyKey) {
        if (idempotencyKey == null) {
            return create(specText, null, null).orElseThrow();
        }
        String sha = sha256(specText);
        for (int i = 0; i < CLAIM_TRIES; i++) {
            // a retry after the first answer is the common case: answer it without parsing the spec
            Optional<Submitted> earlier = keys.find(idempotencyKey).map(k -> replay(k, sha));
            if (earlier.isPresent()) {
                return earlier.get();
            }
            Optional<Submitted> created = create(specText, idempotencyKey, sha);
            if (created.isPresent()) {
                return created.get();
            }
            // the claim lost to a request that committed first; the loop reads its row (gone only if
            // that one's launch failed and removed its sweep: then this one tries again)
        }
        // each time, the request holding the key committed and then could not start its workflow
        throw new LaunchException("header 'Idempotency-Key': the sweep of this key could not be started (" + CLAIM_TRIES
                + " tries while this request waited; is Temporal reachable?); retry", null);
    }

    /** @return empty when {@code key} was claimed by a committed request first */
    private Optional<Submitted> create(String specText, String key, String sha) {
        SweepSpec spec = SweepSpecParser.parse(specText, maxArms);
        List<Arm> arms = spec.expand(maxArms);
        String sweepId = spec.name() + "-" + HexFormat.of().formatHex(randomBytes(ID_RANDOM_BYTES));
        List<ExperimentRequest> requests = new ArrayList<>();
        List<ExperimentRecord> records = new ArrayList<>();
        for (Arm arm : arms) {
            String expId = sweepId + "-a" + arm.index();
            String configJson = json(arm.config());
            requests.add(new ExperimentRequest(expId, configJson));
            // planned once here and stored (keys and count), so reads of the sweep and cancels need not plan every arm
            records.add(ExperimentRecord.pending(expId, sweepId, arm.index(), arm.name(), arm.seed(), json(arm.params()),
                    configJson, ExperimentRequest.workflowId(expId)).withPlannedNodes(PlannedNodes.plan(arm.config())));
        }
        SweepRecord sweep = SweepRecord.pending(sweepId, spec.name(), specText, json(spec), arms.size(),
                SweepRequest.workflowId(sweepId));
        boolean recorded = database.inTransaction(conn -> {
            // the key first: a concurrent request with it waits here, before writing any arm
            if (key != null && !keys.claim(conn, key, sha, sweepId)) {
                return false;
            }
            sweeps.insert(conn, sweep);
            for (ExperimentRecord r : records) {
                experiments.insert(conn, r);
            }
            return true;
        });
        if (!recorded) {
            return Optional.empty();
        }
        try {
            start(new SweepRequest(sweepId, requests));
        } catch (RuntimeException e) {
            // the key's row goes with the sweep (ON DELETE CASCADE), so a retry with the key can create it
            sweeps.delete(sweepId);
            throw new LaunchException("could not start the sweep workflow (is Temporal reachable?): " + e.getMessage(), e);
        }
        return Optional.of(new Submitted(sweepId, requests.stream().map(ExperimentRequest::experimentId).toList(), false));
    }

    /**
     * The answer to a request whose key is recorded. A request that waited on the key's first holder
     * may answer before that holder has started the workflow; should the start fail, the sweep is removed
     * and the id it answered names nothing (the holder's caller gets the error, and a retry creates it anew).
     */
    private Submitted replay(IdempotencyKeyRepository.KeyRecord k, String sha) {
        if (!k.requestSha256().equals(sha)) {
            throw new KeyReusedException("header 'Idempotency-Key': this key was already used with a different"
                    + " request body; use a new key for a different sweep");
        }
        return new Submitted(k.sweepId(), experiments.idsBySweep(k.sweepId()), true);
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Starts (or restarts) the workflow of a recorded sweep. */
    void start(SweepRequest request) {
        SweepWorkflow wf = client.newWorkflowStub(SweepWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setWorkflowId(SweepRequest.workflowId(request.sweepId()))
                .build());
        WorkflowClient.start(wf::run, request);
    }

    /**
     * Runs these arms of a recorded sweep again: signals its running workflow, or starts it
     * with just these arms when it has ended (one atomic signal-with-start).
     */
    void relaunch(String sweepId, List<ExperimentRecord> arms) {
        List<ExperimentRequest> again = arms.stream().map(e -> new ExperimentRequest(e.id(), e.configJson())).toList();
        SweepWorkflow wf = client.newWorkflowStub(SweepWorkflow.class, WorkflowOptions.newBuilder()
                .setTaskQueue(taskQueue)
                .setWorkflowId(SweepRequest.workflowId(sweepId))
                .build());
        BatchRequest request = client.newSignalWithStartRequest();
        request.add(wf::run, new SweepRequest(sweepId, again));
        request.add(wf::rerun, again);
        client.signalWithStart(request);
    }

    WorkflowClient client() {
        return client;
    }

    Database database() {
        return database;
    }

    /**
     * The request of a recorded sweep, rebuilt from PostgreSQL: every arm but those a user
     * cancelled (they stay cancelled; the sweep's final status still counts them).
     */
    SweepRequest requestOf(String sweepId) {
        List<ExperimentRequest> arms = experiments.listBySweep(sweepId).stream()
                .filter(e -> e.status() != Status.CANCELLED)
                .map(e -> new ExperimentRequest(e.id(), e.configJson())).toList();
        return new SweepRequest(sweepId, arms);
    }

    /** Statuses a sweep that should still be running has. */
    static boolean unfinished(Status s) {
        return s == Status.PENDING || s == Status.RUNNING;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An idempotency key came with a body other than the one it was first used with. */
    public static final class KeyReusedException extends RuntimeException {
        KeyReusedException(String message) {
            super(message);
        }
    }

    /** The sweep was valid but could not be launched. */
    public static final class LaunchException extends RuntimeException {
        LaunchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
