package lab.d2c.workers.stage2;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import lab.d2c.config.stage1.DiscreteArConfig;
import lab.d2c.model.stage1.DiscreteArModel;
import lab.d2c.model.stage1.TeacherForcedPredictions;
import lab.d2c.model.stage1.TokenSequences;
import lab.d2c.model.data.Npy;
import lab.d2c.model.runtime.Devices;
import lab.d2c.store.artifact.ArtifactInfo;
import lab.d2c.store.artifact.ArtifactStore;
import lab.d2c.workers.dataset.DatasetShards;
import lab.d2c.workers.node.BadNodeInputException;
import lab.d2c.workers.node.NodeContext;
import lab.d2c.workers.node.NodeExecutor;
import lab.d2c.workers.node.NodeOutput;
import lab.d2c.workers.pretokenize.PretokenizeExecutor;
import lab.d2c.workers.pretokenize.TokenManifest;
import lab.d2c.workers.pretokenize.TokenShards;
import lab.d2c.workers.training.ModelWeights;
import lab.d2c.workflows.graph.PredictStage1Node;
import lab.d2c.workflows.node.NodeResult;

/**
 * {@code predict-stage1}: stage one's teacher-forced predictions of every training image in both
 * flips ({@link TeacherForcedPredictions}), one forward per batch, written as shards in the image
 * order of the {@code pretokenize} node (int32 [n, flips, grid, grid]) with {@code predictions.json}.
 * The result reports the agreement with the ground truth. Inference only: a retried attempt writes
 * the same bytes.
 */
public final class PredictStage1Executor implements NodeExecutor {

    public static final String MANIFEST = "predictions";
    /**
     * Sequences per forward: fixed, so the logits (and near-tie argmaxes) never depend on a setting. 16, not 64:
     * with libtorch's huge pages on ({@code THP_MEM_ALLOC_ENABLE=1}, which ./d2c sets because the tokenizers',
     * classifier's and heads' large activations train up to 2-3x faster with them) every tensor of 2 MiB or more
     * is mapped afresh with huge pages, and at 64 sequences the tiny stage one's logits and activations all are:
     * 3,200 sequences took 17 s (9 s in the kernel) against 7 s without huge pages. At 16 they stay below 2 MiB
     * and take 7.4 s with or without (2-core VM, tiny preset, temperature 1). Code version 2.
     */
    static final int BATCH = 16;
    /** The draws' seed: fixed, so every arm that shares stage one shares the predictions. */
    static final long SEED = 0x5EED_D2CL;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What {@code predictions.json} holds.
     *
     * @param count       images (as in the tokens' manifest)
     * @param flips       flips per image
     * @param grid        tokens per side
     * @param temperature 0 = argmax, else the temperature of the draws
     * @param agreement   share of predicted tokens equal to the image's own code
     * @param shards      int32 [count, flips, grid, grid] each, in image order
     */
    public record Manifest(int count, int flips, int grid, double temperature, double agreement, List<Shard> shards) {
        public record Shard(int count, String key, String sha256) {
        }
    }

    @Override
    public String kind() {
        return PredictStage1Node.KIND;
    }

    @Override
    public NodeOutput execute(NodeContext ctx) throws IOException {
        long started = System.nanoTime();
        TokenManifest tokens = TokenShards.manifest(ctx.artifacts(),
                ctx.task().input("tokens").artifact(PretokenizeExecutor.MANIFEST));
        NodeResult stage1 = ctx.task().input("stage1");
        DiscreteArConfig config = ModelWeights.config(stage1, DiscreteArConfig.class);
        tokens.requireStageOne(config);
        double temperature = ctx.required("stage2.condition_temperature").asDouble();
        TokenSequences truth = TokenShards.discrete(ctx.artifacts(), tokens);
        int n = config.tokens();
        int[] predicted;
        try (NDManager manager = NDManager.newBaseManager(Devices.parse(ctx.device()))) {
            DiscreteArModel model = new DiscreteArModel(config);
            ModelWeights.load(ctx.artifacts(), stage1, model, manager);
            predicted = new TeacherForcedPredictions(model, temperature, SEED).predictAll(manager, truth, BATCH,
                    (done, total) -> ctx.progress(0.95 * done / total, String.format("predicted %d/%d sequences",
                            done, total), Map.of("sequences", done, "of", total)));
        }
        long same = 0;
        for (int item = 0; item < truth.size(); item++) {
            int[] row = truth.sequence(item);
            for (int p = 0; p < n; p++) {
                same += predicted[item * n + p] == row[p] ? 1 : 0;
            }
        }
        double agreement = (double) same / predicted.length;
        List<Manifest.Shard> shards = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < tokens.shards().size(); i++) {
            int count = tokens.shards().get(i).count();
            int from = at * tokens.flips() * n;
            int[] shard = java.util.Arrays.copyOfRange(predicted, from, from + count * tokens.flips() * n);
            ArtifactInfo written = ctx.write(ctx.prefix() + "train/shard-" + String.format("%05d", i) + "-predicted-ids.npy",
                    "application/x-npy", o -> Npy.writeInt32(o, shard, count, tokens.flips(), tokens.grid(), tokens.grid()));
            shards.add(new Manifest.Shard(count, written.key(), written.sha256()));
            at += count;
        }
        Manifest manifest = new Manifest(tokens.count(), tokens.flips(), tokens.grid(), temperature, agreement, shards);
        String manifestKey = ctx.prefix() + "predictions.json";
        ctx.artifacts().putJson(manifestKey, manifest, ctx.key());
        ObjectNode result = JSON.createObjectNode();
        result.put("sequences", truth.size());
        result.put("temperature", temperature);
        result.put("agreement", agreement);
        result.put("seconds", (System.nanoTime() - started) / 1e9);
        result.put("device", ctx.device());
        ctx.progress(1.0, String.format("done: stage one agrees with the true codes on %.1f%% of %d tokens",
                100 * agreement, predicted.length));
        return new NodeOutput(Map.of(MANIFEST, manifestKey), result);
    }

    /** The predicted ids of every image and flip, int32 [count x flips x N] in the tokens' item order. */
    public static int[] read(ArtifactStore store, String manifestKey, TokenManifest tokens) {
        Manifest manifest = store.getJson(manifestKey, Manifest.class);
        if (manifest.count() != tokens.count() || manifest.flips() != tokens.flips() || manifest.grid() != tokens.grid()) {
            throw new BadNodeInputException("predictions cover " + manifest.count() + " images x " + manifest.flips()
                    + " flips on a " + manifest.grid() + " grid; the tokens have " + tokens.count() + " x "
                    + tokens.flips() + " on a " + tokens.grid() + " grid");
        }
        int per = manifest.flips() * manifest.grid() * manifest.grid();
        int[] ids = new int[manifest.count() * per];
        int at = 0;
        for (Manifest.Shard shard : manifest.shards()) {
            try {
                int[] part = Npy.read(new ByteArrayInputStream(DatasetShards.verified(store, shard.key(), shard.sha256())))
                        .asInts();
                System.arraycopy(part, 0, ids, at * per, part.length);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read prediction shard " + shard.key(), e);
            }
            at += shard.count();
        }
        return ids;
    }
}
