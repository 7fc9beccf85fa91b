package lab.d2c.api.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import lab.d2c.store.db.Database;
import lab.d2c.store.db.ExperimentRecord;
import lab.d2c.store.db.ExperimentRepository;
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
 * recorded (sweep + arms) in one transaction, and if Temporal then refuses the workflow
 * the record is removed again before the error is reported.
 */
public final class SweepService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Random bytes of a sweep id: 64 bits, so ids cannot be guessed or collide in practice. */
    static final int ID_RANDOM_BYTES = 8;

    private final Database database;
    private final WorkflowClient client;
    private final String taskQueue;
    private final SweepRepository sweeps;
    private final ExperimentRepository experiments;
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
        this.maxArms = maxArms;
    }

    public int maxArms() {
        return maxArms;
    }

    /** A launched sweep. */
    public record Submitted(String sweepId, List<String> experimentIds) {
    }

    /**
     * Validates and launches a sweep file (YAML or JSON).
     *
     * @throws lab.d2c.workflows.spec.SpecException with field errors when the spec is invalid
     * @throws LaunchException when the workflow could not be started (nothing is left recorded)
     */
    public Submitted submit(String specText) {
        SweepSpec spec = SweepSpecParser.parse(specText, maxArms);
        List<Arm> arms = spec.expand(maxArms);
        String sweepId = spec.name() + "-" + HexFormat.of().formatHex(randomBytes(ID_RANDOM_BYTES));
        List<ExperimentRequest> requests = new ArrayList<>();
        List<ExperimentRecord> records = new ArrayList<>();
        for (Arm arm : arms) {
            String expId = sweepId + "-a" + arm.index();
            String configJson = json(arm.config());
            requests.add(new ExperimentRequest(expId, configJson));
            records.add(ExperimentRecord.pending(expId, sweepId, arm.index(), arm.name(), arm.seed(), json(arm.params()),
                    configJson, ExperimentRequest.workflowId(expId)));
        }
        SweepRecord sweep = SweepRecord.pending(sweepId, spec.name(), specText, json(spec), arms.size(),
                SweepRequest.workflowId(sweepId));
        database.inTransaction(conn -> {
            sweeps.insert(conn, sweep);
            for (ExperimentRecord r : records) {
                experiments.insert(conn, r);
            }
            return null;
        });
        try {
            start(new SweepRequest(sweepId, requests));
        } catch (RuntimeException e) {
            sweeps.delete(sweepId);
            throw new LaunchException("could not start the sweep workflow (is Temporal reachable?): " + e.getMessage(), e);
        }
        return new Submitted(sweepId, requests.stream().map(ExperimentRequest::experimentId).toList());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
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

    /** The sweep was valid but could not be launched. */
    public static final class LaunchException extends RuntimeException {
        LaunchException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
