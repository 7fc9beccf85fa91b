package lab.d2c.api.sweep;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.api.common.v1.WorkflowExecution;
import lab.d2c.store.db.Database;
import lab.d2c.store.db.SweepRecord;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workflows.sweep.SweepRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL is the source of truth for what should be running. After a restart (the
 * embedded Temporal keeps no history), every sweep recorded as unfinished whose workflow
 * is not running gets its workflow started again; finished nodes come from the cache and
 * unfinished ones continue from their checkpoints.
 */
public final class SweepRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(SweepRecovery.class);

    private final SweepRepository sweeps;
    private final WorkflowClient client;
    private final SweepService service;

    public SweepRecovery(Database database, WorkflowClient client, SweepService service) {
        this.sweeps = new SweepRepository(database.dataSource());
        this.client = client;
        this.service = service;
    }

    /** @return how many sweeps were restarted */
    public int resumeUnfinished() {
        int resumed = 0;
        for (SweepRecord s : sweeps.listUnfinished()) {
            if (running(SweepRequest.workflowId(s.id()))) {
                continue;
            }
            try {
                service.start(service.requestOf(s.id()));
                resumed++;
                LOG.info("resumed sweep {}", s.id());
            } catch (RuntimeException e) {
                LOG.warn("could not resume sweep {}: {}", s.id(), e.getMessage());
            }
        }
        return resumed;
    }

    private boolean running(String workflowId) {
        try {
            var resp = client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
                    DescribeWorkflowExecutionRequest.newBuilder()
                            .setNamespace(client.getOptions().getNamespace())
                            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).build())
                            .build());
            return resp.getWorkflowExecutionInfo().getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
        } catch (io.grpc.StatusRuntimeException e) {
            return false;
        }
    }
}
