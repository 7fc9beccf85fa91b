package lab.d2c.workers.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.store.db.MetricsRepository;
import lab.d2c.store.testing.TestStack;
import lab.d2c.workers.dataset.PrepareDatasetExecutor;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.node.ProgressReporter;
import lab.d2c.workflows.node.NodeResult;
import lab.d2c.workflows.node.NodeTask;

/** Runs tokenizer-graph executors directly against the test stack's real PostgreSQL and S3. */
public final class TokenizerNodes {

    /** 16x16 grey shapes, 4 classes: 96 training and 32 test images. */
    public static final String DATA = "{\"data\":{\"dataset\":\"shapes\",\"path\":null,\"image_size\":16,\"channels\":1,"
            + "\"num_classes\":4,\"train_size\":96,\"test_size\":32,\"seed\":5,\"shard_size\":64}}";

    private TokenizerNodes() {
    }

    /** A small {@code vq} section: stride 4 (4x4 tokens), 64 codes. */
    public static String vq(long steps, long checkpointEvery) {
        return "{\"vq\":{\"seed\":3,\"base_width\":8,\"width_multipliers\":\"1,2,2\",\"res_blocks\":1,\"z_channels\":16,"
                + "\"codebook_size\":64,\"code_dim\":8,\"commitment_beta\":0.25,\"usage_window\":1024,"
                + "\"dead_code_min_count\":1,\"reinit_interval\":5,\"perceptual_loss\":false,\"adversarial_loss\":false,"
                + train(steps, checkpointEvery) + "}}";
    }

    /** A small {@code vae} section with the same stride, 4 latent channels. */
    public static String vae(long steps, long checkpointEvery) {
        return "{\"vae\":{\"seed\":4,\"base_width\":8,\"width_multipliers\":\"1,2,2\",\"res_blocks\":1,"
                + "\"latent_channels\":4,\"kl_weight\":1.0E-6,\"loss_reduction\":\"ldm\",\"scale_images\":64,\"perceptual_loss\":false,"
                + "\"adversarial_loss\":false," + train(steps, checkpointEvery) + "}}";
    }

    private static String train(long steps, long checkpointEvery) {
        return "\"train\":{\"steps\":" + steps + ",\"batch_size\":8,\"lr\":0.002,\"warmup_steps\":2,\"lr_schedule\":\"constant\",\"weight_decay\":0.0,"
                + "\"clip_norm\":1.0,\"ema_decay\":0.0,\"checkpoint_every\":" + checkpointEvery + ",\"log_every\":2,"
                + "\"eval_images\":32}";
    }

    public static NodeResult prepared(ArtifactStore store, String key) throws Exception {
        return run(store, new PrepareDatasetExecutor(), key, DATA, Map.of(), (f, m, d) -> { });
    }

    public static NodeResult run(ArtifactStore store, NodeExecutor executor, String key, String config,
            Map<String, NodeResult> inputs, ProgressReporter progress) throws Exception {
        NodeTask task = new NodeTask(key, executor.kind(), 1, config, inputs);
        NodeContext ctx = new NodeContext(task, store, metrics(), progress);
        NodeOutput out = executor.execute(ctx);
        return new NodeResult(key, executor.kind(), Map.copyOf(out.artifacts()), NodeContext.toJson(out.result()), false);
    }

    public static MetricsRepository metrics() {
        return new MetricsRepository(TestStack.get().database().dataSource());
    }

    /** A progress reporter that records heartbeat details. */
    public static final class Recorder implements ProgressReporter {
        public final List<Object> details = new ArrayList<>();

        @Override
        public void report(double fraction, String message, Object detail) {
            if (detail != null) {
                details.add(detail);
            }
        }
    }
}
