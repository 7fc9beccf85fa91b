package lab.d2c.workers;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.lang.management.ManagementFactory;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.Database;
import lab.d2c.store.db.ExperimentRepository;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.db.NodeRepository;
import lab.d2c.store.db.SweepRepository;
import lab.d2c.workers.ledger.LedgerActivitiesImpl;
import lab.d2c.workers.node.FileRoots;
import lab.d2c.workers.node.NodeActivitiesImpl;
import lab.d2c.workers.node.NodeExecutors;
import lab.d2c.workflows.experiment.ExperimentWorkflowImpl;
import lab.d2c.workflows.node.NodeActivityOptions;
import lab.d2c.workflows.node.NodeWorkflow;
import lab.d2c.workflows.node.NodeWorkflowImpl;
import lab.d2c.workflows.sweep.SweepWorkflowImpl;

/**
 * A worker process's Temporal side. It polls two queues: the control queue (all
 * workflows, and the light ledger activities) and the node queue (the heavy node work,
 * a few at a time, since one training uses every core).
 */
public final class D2cWorker implements AutoCloseable {

    private final WorkerFactory factory;
    private final String name;
    private final String taskQueue;

    private D2cWorker(WorkerFactory factory, String name, String taskQueue) {
        this.factory = factory;
        this.name = name;
        this.taskQueue = taskQueue;
    }

    /** Builds and starts a worker. */
    public static Builder builder() {
        return new Builder();
    }

    public String name() {
        return name;
    }

    public String taskQueue() {
        return taskQueue;
    }

    @Override
    public void close() {
        factory.shutdown();
        factory.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Builder: {@code setX} for required parts, {@code optX} for optional ones. */
    public static final class Builder {
        private WorkflowClient client;
        private String taskQueue;
        private Database database;
        private ArtifactStore artifacts;
        private NodeExecutors executors = StandardExecutors.create();
        private int nodeSlots = 1;
        private int intraOpThreads = 0;
        private java.time.Duration nodeHeartbeat = NodeActivityOptions.NODE_HEARTBEAT;
        private boolean workflows = true;
        private boolean nodes = true;
        private String device = "cpu";
        private FileRoots fileRoots = FileRoots.DEFAULT;
        private String name = "worker-" + ManagementFactory.getRuntimeMXBean().getName();
        private lab.d2c.workers.ledger.RunEndListener runEnded = lab.d2c.workers.ledger.RunEndListener.NONE;

        public Builder setClient(WorkflowClient client) {
            this.client = client;
            return this;
        }

        public Builder setTaskQueue(String taskQueue) {
            this.taskQueue = taskQueue;
            return this;
        }

        public Builder setDatabase(Database database) {
            this.database = database;
            return this;
        }

        public Builder setArtifacts(ArtifactStore artifacts) {
            this.artifacts = artifacts;
            return this;
        }

        public Builder optExecutors(NodeExecutors executors) {
            this.executors = executors;
            return this;
        }

        /** How many nodes this worker runs at once (default 1). */
        public Builder optNodeSlots(int slots) {
            if (slots < 1) {
                throw new IllegalArgumentException("node slots must be >= 1, got " + slots);
            }
            this.nodeSlots = slots;
            return this;
        }

        /**
         * libtorch's intra-op threads for this process; default (0): the cores split evenly between
         * the node slots ({@code IntraOpThreads.forSlots}), so two slots on two cores run one thread each.
         */
        public Builder optIntraOpThreads(int threads) {
            if (threads < 0) {
                throw new IllegalArgumentException("intra-op threads must be >= 0 (0: cores / node slots), got " + threads);
            }
            this.intraOpThreads = threads;
            return this;
        }

        /** How long a node may go without a heartbeat before Temporal retries it on another worker. */
        public Builder optNodeHeartbeat(java.time.Duration heartbeat) {
            if (heartbeat.compareTo(java.time.Duration.ofSeconds(5)) < 0) {
                throw new IllegalArgumentException("node heartbeat: at least 5 s (heartbeats are sent every "
                        + NodeActivityOptions.CANCEL_CHECK.toSeconds() + " s), got " + heartbeat);
            }
            this.nodeHeartbeat = heartbeat;
            return this;
        }

        /** Where this worker runs models: {@code cpu} (default) or {@code gpu:N}. */
        public Builder optDevice(String device) {
            this.device = lab.d2c.model.runtime.Devices.name(lab.d2c.model.runtime.Devices.parse(device));
            return this;
        }

        /**
         * The folders the files a spec names ({@code data.path}, {@code eval.inception_file}) may be
         * read from; default {@link FileRoots#DEFAULT}. A worker command passes {@code D2cConfig.fileRootPaths()}.
         */
        public Builder optFileRoots(java.util.List<java.nio.file.Path> roots) {
            this.fileRoots = new FileRoots(roots);
            return this;
        }

        /**
         * Which queues this worker serves: the control queue (sweep, experiment and node workflows and
         * the ledger activities) and/or the node queue (the node work itself). Default both.
         */
        public Builder optRoles(boolean workflows, boolean nodes) {
            if (!workflows && !nodes) {
                throw new IllegalArgumentException("roles: a worker serves workflows, nodes or both");
            }
            this.workflows = workflows;
            this.nodes = nodes;
            return this;
        }

        /** Told when a sweep or an experiment ends (the app's webhook); only a worker that serves workflows tells. */
        public Builder optRunEndListener(lab.d2c.workers.ledger.RunEndListener listener) {
            this.runEnded = listener;
            return this;
        }

        public Builder optName(String name) {
            this.name = name;
            return this;
        }

        public D2cWorker start() {
            if (client == null || taskQueue == null || database == null || artifacts == null) {
                throw new IllegalStateException("D2cWorker needs client, task queue, database and artifacts");
            }
            if (nodes && device.equals("cpu")) {
                lab.d2c.model.runtime.IntraOpThreads.set(intraOpThreads > 0 ? intraOpThreads
                        : lab.d2c.model.runtime.IntraOpThreads.forSlots(Runtime.getRuntime().availableProcessors(), nodeSlots));
                // Fail at start, not hours into a training (docs/djl-pitfalls.md, pitfall 15).
                lab.d2c.model.runtime.ConvGradientCheck.run().ifPresent(problem -> {
                    throw new IllegalStateException(problem);
                });
            }
            var ds = database.dataSource();
            NodeRepository nodeRecords = new NodeRepository(ds);
            // No workflow cache, so no sticky task queue: a workflow's next task always goes to the
            // shared queue. With a cache, a killed worker would keep its workflows' tasks on its own
            // sticky queue, and the embedded Temporal (the Java test server) never moves them back;
            // the sweep would hang. Replaying our small histories on each task costs milliseconds.
            WorkerFactory factory = WorkerFactory.newInstance(client, io.temporal.worker.WorkerFactoryOptions.newBuilder()
                    .setWorkflowCacheSize(0)
                    .build());
            if (workflows) {
                Worker control = factory.newWorker(taskQueue, WorkerOptions.newBuilder()
                        .setIdentity(name)
                        .setMaxConcurrentActivityExecutionSize(200)
                        .build());
                control.registerWorkflowImplementationTypes(SweepWorkflowImpl.class, ExperimentWorkflowImpl.class);
                java.time.Duration heartbeat = nodeHeartbeat;
                control.registerWorkflowImplementationFactory(NodeWorkflow.class, () -> new NodeWorkflowImpl(heartbeat));
                control.registerActivitiesImplementations(new LedgerActivitiesImpl(client, nodeRecords,
                        new ExperimentRepository(ds), new SweepRepository(ds), runEnded));
            }
            if (this.nodes) {
                Worker work = factory.newWorker(NodeActivityOptions.nodeQueue(taskQueue), WorkerOptions.newBuilder()
                        .setIdentity(name)
                        .setMaxConcurrentActivityExecutionSize(nodeSlots)
                        // Heartbeats carry cancellation back: the SDK's default throttle (0.8 x the
                        // heartbeat timeout, 48 s) would let a cancelled training run on that long.
                        .setMaxHeartbeatThrottleInterval(NodeActivityOptions.CANCEL_CHECK)
                        .setDefaultHeartbeatThrottleInterval(NodeActivityOptions.CANCEL_CHECK)
                        .build());
                work.registerActivitiesImplementations(new NodeActivitiesImpl(executors, artifacts,
                        new MetricsRepository(ds), nodeRecords, name, device, fileRoots));
            }
            factory.start();
            return new D2cWorker(factory, name, taskQueue);
        }
    }
}
