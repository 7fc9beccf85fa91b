package lab.d2c.model.train;

import lab.d2c.model.runtime.GradientScope;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import lab.d2c.model.runtime.Devices;
import lab.d2c.model.runtime.Views;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one training loop. Each step, on its own {@link NDManager} closed after the step
 * (docs/djl-pitfalls.md, pitfall 3): zero the gradients (the collector does not, pitfall 4),
 * loss with {@code new StepRandom(seed, step)}, backward, global-norm clip, learning rate from the
 * schedule, AdamW, EMA, {@link TrainableModel#afterStep}, listeners. Every {@code checkpointEvery}
 * steps and at the end, a snapshot goes to the {@link CheckpointSink}.
 *
 * <p>Resume guarantee: resuming from the checkpoint of step k (on CPU, same thread count) gives
 * bit-identical losses for steps k.. and bit-identical final weights to a run that never stopped,
 * because parameter init, data order and every random draw derive from the run seed, and the
 * checkpoint holds everything else (weights, EMA, moments, t, cursor, model state).
 *
 * <p>The block's parameters, EMA and optimizer state live on a manager the loop makes on the
 * configured device (a sub-manager of {@code optManager} when given); they stay valid until
 * {@link #close()}.
 */
public final class TrainingLoop implements AutoCloseable {

    /** Runs longer than this return only the last loss. */
    public static final int LOSS_HISTORY_LIMIT = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(TrainingLoop.class);
    // Engine.setRandomSeed is process-wide: seed-then-initialize must not interleave with other
    // loops' initialization or with seeded draws (dropout masks).
    private static final Object INIT_LOCK = lab.d2c.model.runtime.SeededDraws.LOCK;

    private final TrainableModel model;
    private final BatchSource data;
    private final TrainConfig config;
    private final List<TrainingListener> listeners;
    private final CheckpointSink sink;
    private final InputStream resumeFrom;
    private final java.util.function.Consumer<Block> afterInitialize;
    private final BooleanSupplier stopSignal;
    private final java.util.function.LongPredicate earlyStop;
    private final LearningRate schedule;
    private final AdamW.DecayRule decayRule;
    private final Device device;
    private final NDManager manager;

    private AdamW optimizer;
    private Ema ema;
    private List<TrainableParameters.Named> trainable;
    private long step;
    private DataCursor cursor = DataCursor.START;
    private long orderEpoch = -1;
    private int[] order;
    private boolean ran;

    private TrainingLoop(Builder b) {
        this.model = b.model;
        this.data = b.data;
        this.config = b.config;
        this.listeners = List.copyOf(b.listeners);
        this.sink = b.sink;
        this.resumeFrom = b.resumeFrom;
        this.afterInitialize = b.afterInitialize;
        this.stopSignal = b.stopSignal;
        this.earlyStop = b.earlyStop;
        this.schedule = b.schedule != null ? b.schedule : config.lrSchedule().rate(config);
        this.decayRule = b.decayRule;
        this.device = Devices.parse(config.device());
        this.manager = b.manager != null ? b.manager.newSubManager(device) : NDManager.newBaseManager(device);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Initializes or resumes, then trains until {@code config.steps()} steps are complete, the stop
     * signal says stop (checked between steps), or the early-stop rule says the run is done (checked
     * after each step's listeners, and once before the first step of a resumed run: a run that stopped
     * early and is resumed from its last checkpoint stops again there). Runs once per loop instance.
     */
    public TrainingResult run() throws IOException {
        if (ran) {
            throw new IllegalStateException("a TrainingLoop runs once; build a new one to continue");
        }
        ran = true;
        prepare();
        long startStep = step;
        long toRun = Math.max(0, config.steps() - startStep);
        float[] losses = toRun <= LOSS_HISTORY_LIMIT ? new float[(int) toRun] : null;
        double lastLoss = Double.NaN;
        boolean stopped = false;
        long started = System.nanoTime();
        long lastCheckpoint = startStep;
        boolean early = step > 0 && step < config.steps() && earlyStop.test(step);
        while (!early && step < config.steps()) {
            if (stopSignal.getAsBoolean()) {
                stopped = true;
                LOG.info("stop signal at step {} of {}", step, config.steps());
                break;
            }
            double lr = schedule.at(step);
            StepOutcome outcome = trainStep(lr);
            if (losses != null) {
                losses[(int) (step - startStep)] = outcome.loss;
            }
            lastLoss = outcome.loss;
            step++;
            double seconds = (System.nanoTime() - started) / 1e9;
            double perSecond = seconds > 0 ? (step - startStep) / seconds : 0;
            double eta = perSecond > 0 ? (config.steps() - step) / perSecond : Double.NaN;
            StepReport report = new StepReport(step - 1, config.steps(), outcome.loss, outcome.metrics, lr,
                    outcome.gradNorm, perSecond, eta);
            if (config.logEvery() > 0 && (step % config.logEvery() == 0 || step == config.steps())) {
                LOG.info("step {}/{} loss {} lr {} grad-norm {} {} steps/s eta {} s", step, config.steps(),
                        outcome.loss, String.format("%.3g", lr), String.format("%.3g", outcome.gradNorm),
                        String.format("%.2f", perSecond), String.format("%.0f", eta));
            }
            for (TrainingListener l : listeners) {
                l.onStep(report);
            }
            early = step < config.steps() && earlyStop.test(step);
            boolean due = config.checkpointEvery() > 0 && step % config.checkpointEvery() == 0;
            if (sink != null && (due || early || step == config.steps())) {
                checkpoint();
                lastCheckpoint = step;
            }
        }
        if (sink != null && !stopped && step == config.steps() && lastCheckpoint != step) {
            checkpoint();
        }
        if (early) {
            LOG.info("early stop after step {} of at most {}", step, config.steps());
        }
        float[] ran = losses == null ? new float[0]
                : early ? java.util.Arrays.copyOf(losses, (int) (step - startStep)) : losses;
        return new TrainingResult(startStep, step, lastLoss, ran, stopped, early);
    }

    /** The trained block's parameters' manager. */
    public NDManager manager() {
        return manager;
    }

    /** The EMA, or null when {@code emaDecay <= 0}. Valid after {@link #run()} started. */
    public Ema ema() {
        return ema;
    }

    /** The optimizer. Valid after {@link #run()} started. */
    public AdamW optimizer() {
        return optimizer;
    }

    /** Steps completed. */
    public long step() {
        return step;
    }

    /** Where the next batch starts. */
    public DataCursor cursor() {
        return cursor;
    }

    /**
     * A snapshot of the current state as a checkpoint (what the sink receives). The bytes are
     * taken now, so the result can be written later.
     */
    public Checkpoint snapshot() throws IOException {
        if (optimizer == null) {
            throw new IllegalStateException("nothing to snapshot before run() has initialized or resumed the model");
        }
        Map<String, byte[]> sections = new LinkedHashMap<>();
        sections.put(Checkpoint.MODEL, bytes(out -> model.block().saveParameters(out)));
        sections.put(Checkpoint.EMA, bytes(out -> {
            out.writeBoolean(ema != null);
            if (ema != null) {
                ema.save(out);
            }
        }));
        sections.put(Checkpoint.OPTIMIZER, bytes(optimizer::save));
        sections.put(Checkpoint.STATE, bytes(model::saveState));
        return new Checkpoint(new CheckpointHeader(step, cursor, config.seed(), config.fingerprint(), modelName()),
                sections);
    }

    /** Closes the manager holding the parameters, EMA and optimizer state. */
    @Override
    public void close() {
        manager.close();
    }

    private void prepare() throws IOException {
        Block block = model.block();
        int n = data.size();
        if (config.batchSize() > n) {
            throw new IllegalArgumentException("TrainConfig.batchSize " + config.batchSize() + " exceeds the "
                    + n + " items of the data");
        }
        if (!block.isInitialized()) {
            synchronized (INIT_LOCK) {
                manager.getEngine().setRandomSeed(initSeed(config.seed()));
                block.initialize(manager, DataType.FLOAT32, model.initShapes());
            }
        }
        afterInitialize.accept(block);
        Checkpoint checkpoint = resumeFrom != null ? Checkpoint.read(resumeFrom) : null;
        if (checkpoint != null) {
            checkCompatible(checkpoint.header());
            loadParameters(block, checkpoint.section(Checkpoint.MODEL));
        }
        trainable = TrainableParameters.trainable(block);
        optimizer = AdamW.builder().setBlock(block).setManager(manager.newSubManager())
                .optBetas(config.beta1(), config.beta2()).optEps(config.eps()).optWeightDecay(config.weightDecay())
                .optDecayRule(decayRule).build();
        ema = config.ema() ? new Ema(block, config.emaDecay(), manager.newSubManager()) : null;
        if (checkpoint != null) {
            DataInputStream emaIn = checkpoint.section(Checkpoint.EMA);
            if (emaIn.readBoolean() != (ema != null)) {
                throw new IllegalArgumentException("checkpoint EMA presence differs from TrainConfig.emaDecay "
                        + config.emaDecay());
            }
            if (ema != null) {
                ema.load(emaIn);
            }
            optimizer.load(checkpoint.section(Checkpoint.OPTIMIZER));
            model.loadState(manager, checkpoint.section(Checkpoint.STATE));
            step = checkpoint.header().step();
            cursor = checkpoint.header().cursor();
            LOG.info("resumed at step {} (epoch {}, position {})", step, cursor.epoch(), cursor.position());
        }
    }

    private void checkCompatible(CheckpointHeader header) {
        if (!header.configFingerprint().equals(config.fingerprint())) {
            throw new IllegalArgumentException("checkpoint was written with other settings; it has ["
                    + header.configFingerprint() + "], this run [" + config.fingerprint() + "]");
        }
        // by simple name: a checkpoint written before the model's package was renamed (issue 22 moved
        // model-lib's ar and hybrid to stage1 and stage2) still resumes
        if (!simpleName(header.modelName()).equals(simpleName(modelName()))) {
            throw new IllegalArgumentException("checkpoint is of model " + header.modelName() + ", this run trains "
                    + modelName());
        }
        if (header.step() > config.steps()) {
            throw new IllegalArgumentException("checkpoint is at step " + header.step() + ", past TrainConfig.steps "
                    + config.steps());
        }
    }

    private void loadParameters(Block block, DataInputStream in) throws IOException {
        List<TrainableParameters.Named> before = TrainableParameters.all(block);
        Set<NDArray> replaced = Collections.newSetFromMap(new IdentityHashMap<>());
        for (TrainableParameters.Named p : before) {
            replaced.add(p.array());
        }
        try {
            block.loadParameters(manager, in);
        } catch (MalformedModelException e) {
            throw new IllegalArgumentException("checkpoint parameters do not fit the block: " + e.getMessage(), e);
        }
        for (TrainableParameters.Named p : TrainableParameters.all(block)) {
            replaced.remove(p.array());
            // Loaded arrays come without requires_grad (pitfall 10).
            if (p.parameter().requiresGradient()) {
                p.array().setRequiresGradient(true);
            }
        }
        replaced.forEach(NDArray::close);
    }

    private record StepOutcome(float loss, Map<String, Double> metrics, double gradNorm) {
    }

    private StepOutcome trainStep(double lr) {
        int n = data.size();
        cursor = cursor.aligned(config.batchSize(), n);
        if (orderEpoch != cursor.epoch()) {
            order = DataOrder.permutation(config.seed(), cursor.epoch(), n);
            orderEpoch = cursor.epoch();
        }
        int[] indices = DataOrder.slice(order, cursor, config.batchSize());
        StepRandom rng = new StepRandom(config.seed(), step);
        try (NDManager stepManager = manager.newSubManager()) {
            NDList batch = data.batch(stepManager, indices);
            zeroGradients(stepManager);
            float loss;
            Map<String, Double> metrics;
            // A thread-local scope, not DJL's JVM-wide collector: loops in other node slots run
            // their steps at the same time (pitfall 4).
            try (GradientScope scope = GradientScope.open()) {
                StepLoss out = model.loss(stepManager, batch, rng);
                scope.backward(out.loss());
                loss = scalar(out.loss());
                metrics = metrics(out.metrics());
            }
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException("loss is " + loss + " at step " + step);
            }
            double gradNorm = GradientClipping.norm(stepManager, trainable);
            // clipping's scale goes into the optimizer's pass over the gradients, not a pass of its own
            optimizer.step(stepManager, lr, GradientClipping.factor(gradNorm, config.clipNorm()));
            if (ema != null) {
                ema.update(stepManager);
            }
            model.afterStep(stepManager, step, rng);
            cursor = cursor.advance(config.batchSize(), n);
            return new StepOutcome(loss, metrics, gradNorm);
        }
    }

    private void zeroGradients(NDManager stepManager) {
        for (TrainableParameters.Named p : trainable) {
            NDArray g = Views.gradient(stepManager, p.array());
            long at = FusedKernels.loaded() ? FusedKernels.address(g) : 0;
            if (at != 0) {
                FusedKernels.zero(at, g.size());
            } else {
                g.subi(g);
            }
        }
    }

    private void checkpoint() throws IOException {
        Checkpoint checkpoint = snapshot();
        sink.save(step, checkpoint);
        for (TrainingListener l : listeners) {
            l.onCheckpoint(step);
        }
    }

    private String modelName() {
        return model.getClass().getName();
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    static int initSeed(long runSeed) {
        return (int) (new StepRandom(runSeed, 0).seed("parameter-init") >>> 33);
    }

    private static float scalar(NDArray a) {
        if (a.size() != 1) {
            throw new IllegalStateException("loss must be a scalar, got shape " + a.getShape());
        }
        return a.toType(DataType.FLOAT32, false).toFloatArray()[0];
    }

    private static Map<String, Double> metrics(Map<String, NDArray> raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : raw.entrySet()) {
            NDArray v = e.getValue().toType(DataType.FLOAT32, false);
            out.put(e.getKey(), (double) (v.size() == 1 ? v.toFloatArray()[0] : v.mean().toFloatArray()[0]));
        }
        return Collections.unmodifiableMap(out);
    }

    private interface SectionWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] bytes(SectionWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        }
        return bytes.toByteArray();
    }

    /** setX: required; optX: optional. */
    public static final class Builder {
        private TrainableModel model;
        private BatchSource data;
        private TrainConfig config;
        private NDManager manager;
        private final List<TrainingListener> listeners = new ArrayList<>();
        private CheckpointSink sink;
        private InputStream resumeFrom;
        private java.util.function.Consumer<Block> afterInitialize = b -> { };
        private BooleanSupplier stopSignal = () -> false;
        private java.util.function.LongPredicate earlyStop = steps -> false;
        private LearningRate schedule;
        private AdamW.DecayRule decayRule = AdamW.DecayRule.matricesOnly();

        private Builder() {
        }

        public Builder setModel(TrainableModel model) {
            this.model = model;
            return this;
        }

        public Builder setData(BatchSource data) {
            this.data = data;
            return this;
        }

        public Builder setConfig(TrainConfig config) {
            this.config = config;
            return this;
        }

        /** Parent of the loop's manager; default: a new base manager on the configured device. */
        public Builder optManager(NDManager manager) {
            this.manager = manager;
            return this;
        }

        /** Adds a listener (any number). */
        public Builder optListener(TrainingListener listener) {
            this.listeners.add(listener);
            return this;
        }

        public Builder optCheckpointSink(CheckpointSink sink) {
            this.sink = sink;
            return this;
        }

        /** A checkpoint stream to continue from; read to its end and verified before anything loads. */
        /**
         * Runs after the parameters are initialized and before a checkpoint is loaded and the
         * optimizer built: copy pretrained tables in, freeze parameters (stage two's discrete embedding).
         */
        public Builder optAfterInitialize(java.util.function.Consumer<Block> hook) {
            this.afterInitialize = hook;
            return this;
        }

        public Builder optResumeFrom(InputStream checkpoint) {
            this.resumeFrom = checkpoint;
            return this;
        }

        /** Checked between steps; true stops the loop (e.g. a heartbeat saw a cancel). */
        public Builder optStopSignal(BooleanSupplier stopSignal) {
            this.stopSignal = stopSignal;
            return this;
        }

        /**
         * Asked with the steps done after every step (its listeners have run, so a held-out evaluation of
         * that step is known) and before a resumed run's first step: true ends the run there, with a
         * checkpoint, as finished ({@link TrainingResult#stoppedEarly()}); {@code config.steps()} is then a
         * cap. Must be a deterministic function of the run so far, or resume would not reproduce it.
         * Default: never.
         */
        public Builder optEarlyStop(java.util.function.LongPredicate earlyStop) {
            this.earlyStop = earlyStop;
            return this;
        }

        /** Default: the config's {@link LrSchedule}. */
        public Builder optLearningRate(LearningRate schedule) {
            this.schedule = schedule;
            return this;
        }

        /** Default {@link AdamW.DecayRule#matricesOnly()}. */
        public Builder optDecayRule(AdamW.DecayRule decayRule) {
            this.decayRule = decayRule;
            return this;
        }

        public TrainingLoop build() {
            if (model == null) {
                throw new IllegalArgumentException("TrainingLoop.model is required (call setModel)");
            }
            if (data == null) {
                throw new IllegalArgumentException("TrainingLoop.data is required (call setData)");
            }
            if (config == null) {
                throw new IllegalArgumentException("TrainingLoop.config is required (call setConfig)");
            }
            if (stopSignal == null || decayRule == null || earlyStop == null) {
                throw new IllegalArgumentException("TrainingLoop stop signal, early stop and decay rule must not be null");
            }
            return new TrainingLoop(this);
        }
    }
}
