package lab.d2c.model.stage2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.config.stage2.HybridSamplingSettings;

/**
 * Stage-two generation (MAR's {@code sample_tokens}; paper sections 4.2 and 5.1): all tokens start
 * masked; each of the N steps runs the MAE on the current tokens, keeps the first
 * {@link MaskSchedule#maskedAfter} positions of the sample's random order masked, and draws the
 * tokens leaving the mask from the diffusion head conditioned on their z, with guidance against the
 * fake class and fake discrete tokens. Each sample draws its order and noise from its own generator,
 * seeded by (seed, sample index), so its tokens do not depend on the batch it was drawn in.
 */
public final class HybridSampler {

    private final HybridModel model;

    public HybridSampler(HybridModel model) {
        this.model = model;
    }

    /** The generator of sample {@code index} under {@code seed} (stage one derives its own the same way). */
    public static SplittableRandom sampleRandom(long seed, long index) {
        return new SplittableRandom(new SplittableRandom(seed ^ 0x5EED_D2C0L).split().nextLong()
                ^ index * 0x9E3779B97F4A7C15L);
    }

    /**
     * Continuous tokens [B, N, C] on {@code manager}.
     *
     * @param labels     classes [B]
     * @param ids        discrete ids [B][N] from stage one (ignored with fusion {@code none}; may be null then)
     * @param firstIndex index of the first sample (for its generator)
     * @param onStep     called with the number of finished steps, or null
     */
    public NDArray sample(NDManager manager, int[] labels, int[][] ids, HybridSamplingSettings settings, long seed,
            long firstIndex, IntConsumer onStep) {
        HybridConfig config = model.config();
        int b = labels.length;
        int n = config.tokens();
        int c = config.tokenChannels();
        int[] maskedAfter = MaskSchedule.maskedAfter(n, settings.steps());
        boolean guided = settings.guidanceScale() != 1.0;
        SplittableRandom[] random = new SplittableRandom[b];
        int[][] orders = new int[b][];
        for (int i = 0; i < b; i++) {
            random[i] = sampleRandom(seed, firstIndex + i);
            orders[i] = GenerationOrder.random(n, random[i]);
        }
        int[] rowIds = new int[(guided ? 2 : 1) * b * n];
        int[] rowLabels = new int[guided ? 2 * b : b];
        boolean[] fake = new boolean[rowLabels.length];
        for (int copy = 0; copy < (guided ? 2 : 1); copy++) {
            for (int i = 0; i < b; i++) {
                int r = copy * b + i;
                rowLabels[r] = labels[i];
                fake[r] = copy == 1;
                for (int p = 0; p < n; p++) {
                    rowIds[r * n + p] = ids == null ? 0 : ids[i][p];
                }
            }
        }
        float[] tokens = new float[b * n * c];
        int masked = n;
        ParameterStore store = new ParameterStore(manager, false);
        // the discrete tokens and their fake/real flags are fixed for the whole run: their part of the
        // condition (the Q-Former's queries among it) is computed once, not at each AR step
        NDArray likeFloat = manager.zeros(new Shape(1));
        DiscreteContext discrete = model.discreteContext(store, manager.create(rowIds, new Shape(rowLabels.length, n)),
                fake, likeFloat, null);
        for (int step = 0; step < settings.steps(); step++) {
            try (NDManager scope = manager.newSubManager()) {
                boolean[][] mask = new boolean[rowLabels.length][];
                for (int r = 0; r < rowLabels.length; r++) {
                    mask[r] = GenerationOrder.maskFirst(orders[r % b], masked);
                }
                NDArray current = scope.create(tokens, new Shape(b, n, c));
                NDArray input = guided ? current.concat(current, 0) : current;
                NDArray z = model.condition(store, input, rowLabels, fake, mask, discrete.viewsOn(scope), null);
                int next = maskedAfter[step];
                // the positions leaving the mask, per sample in position order
                List<int[]> predicted = new ArrayList<>();
                int perSample = masked - next;
                long[] rows = new long[(guided ? 2 : 1) * b * perSample];
                SplittableRandom[] rowRandom = new SplittableRandom[b * perSample];
                for (int i = 0; i < b; i++) {
                    int[] positions = Arrays.copyOfRange(orders[i], next, masked);
                    Arrays.sort(positions);
                    predicted.add(positions);
                    for (int k = 0; k < perSample; k++) {
                        rows[i * perSample + k] = (long) i * n + positions[k];
                        rowRandom[i * perSample + k] = random[i];
                        if (guided) {
                            rows[(b + i) * perSample + k] = (long) (b + i) * n + positions[k];
                        }
                    }
                }
                NDArray flat = z.reshape(-1, config.decoderWidth());
                NDArray selected = flat.get(scope.create(rows));
                double scale = guided ? settings.scaleAt(n, next) : 1.0;
                if (guided && scale == 1.0) {
                    selected = selected.get(":{}", b * perSample);
                }
                float[] drawn = model.diffusion().sample(store, selected, settings.temperature(), scale,
                        settings.x0Clip(), rowRandom).toFloatArray();
                for (int i = 0; i < b; i++) {
                    int[] positions = predicted.get(i);
                    for (int k = 0; k < perSample; k++) {
                        System.arraycopy(drawn, (i * perSample + k) * c, tokens, (i * n + positions[k]) * c, c);
                    }
                }
                masked = next;
            }
            if (onStep != null) {
                onStep.accept(step + 1);
            }
        }
        return manager.create(tokens, new Shape(b, n, c));
    }
}
