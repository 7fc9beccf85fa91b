package lab.d2c.model.stage2;

import lab.d2c.config.stage2.HybridConfig;
import lab.d2c.config.stage2.FusionKind;
import lab.d2c.config.stage2.DiscretePositions;
import lab.d2c.config.stage2.GuidanceSchedule;
import lab.d2c.config.stage2.HybridSamplingSettings;
import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import lab.d2c.model.runtime.SeededDraws;
import lab.d2c.model.runtime.MklKernels;
import lab.d2c.model.train.StepLoss;
import lab.d2c.model.train.StepRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins what each fusion kind computes, bit for bit, as recorded on the code before the fusion modules
 * moved into {@code stage2.fusion} (issue 22): a refactor of the fusions must leave every number here
 * unchanged. Per kind and discrete-position setting, on a seeded small model with dropout on:
 * the parameters' names and shapes in registration order (what checkpoints are keyed and ordered by),
 * the initialized weights as saved (the seeded initialization order), then, on weights moved off the
 * zero-initialized head, one training loss and its gradients, the condition z with some fake discrete tokens, and a short guided sampling run. Each is a
 * SHA-256 prefix of the exact bits (the loss as its exact decimal), so any change of op order shows.
 *
 * <p>Re-recorded once since: the loss and gradients when the diffusion head came to run on the masked rows
 * alone with each distinct step embedded once (train-stage2 code version 6; the loss moved in the 7th
 * digit, by float rounding: {@code HybridModelTest.theMaskedRowsAloneGiveMarsLossAndGradients} shows the two
 * forms agree). Names, weights, z and samples are the digests recorded before the refactor.
 */
class FusionGoldenTest {

    private static final int B = 3;
    private static final int N = HybridFixtures.GRID * HybridFixtures.GRID;
    private static final int C = HybridFixtures.CHANNELS;

    // fusion, positions, parameters, weights, loss, gradients, z, samples. MKL's generic kernels (AMD without
    // native/mkl-intel-path) and its CPU-feature kernels round differently in the last bits, so each path
    // has its digests (lab.d2c.model.runtime.MklKernels); the second set was recorded on AMD with the preload.
    private static final String GENERIC_KERNELS = """
            none, learned, f88f35823a4a1cb6, 61737b8631e2c052, 1.0082407 ratio 0.83294415, 3887439e222c4d49, c3d253eb2266ed5c, 36c06a446af277ce
            none, none, f88f35823a4a1cb6, 61737b8631e2c052, 1.0082407 ratio 0.83294415, 3887439e222c4d49, c3d253eb2266ed5c, 36c06a446af277ce
            cross-attention, learned, f4bc372194c73305, b042e511a8a7f6ae, 0.92892456 ratio 0.83294415, db247c86dbf5fc43, 7036392c154ebc01, 4839e0aa51677bb9
            cross-attention, none, 64e30354c87e8a9a, ec8abb2989ccbf6c, 0.89562047 ratio 0.83294415, 3c8e7f74aab89348, 41bdfce77028dffe, b0dad82b14383a07
            q-former, learned, 4527df60358c3f50, 2294176dbaa46040, 1.0100499 ratio 0.83294415, 618d1d1177ff68f7, 00a93892b4d138c1, c8f4657bc9df2f5c
            q-former, none, efb4f88b884a86d3, f23dd3c01a8ef1b0, 0.874404 ratio 0.83294415, 96d09a6d66b39d14, 8a1860ae09e55c38, 09574ee3acdca56b
            q-former-decoder, learned, 8f68f3060ef56726, 70e3b989a0214f26, 0.95708376 ratio 0.83294415, 4f54e22cdc1b198b, 5616907d4d069a49, 3ac5ee2de7493945
            q-former-decoder, none, ed8b01c972ab47e1, 44f2addfec047a30, 1.135817 ratio 0.83294415, 6f5f178f458348ee, 7a6eb1398fbf5f40, 6d5c85f2e3f8b674
            discon, learned, 213e09e130a6d3b0, a951b09be52e4a6d, 1.0326607 ratio 0.83294415, 94db302eae6f7d69, 86cc887658ba7cad, ea3a34f4564e1be3
            discon, none, 213e09e130a6d3b0, a951b09be52e4a6d, 1.0326607 ratio 0.83294415, 94db302eae6f7d69, 86cc887658ba7cad, ea3a34f4564e1be3
            """;

    private static final String FEATURE_KERNELS = """
            none, learned, f88f35823a4a1cb6, 61737b8631e2c052, 1.0082407 ratio 0.83294415, feec6272544defee, 63791463940d395a, 0a95758086624d34
            none, none, f88f35823a4a1cb6, 61737b8631e2c052, 1.0082407 ratio 0.83294415, feec6272544defee, 63791463940d395a, 0a95758086624d34
            cross-attention, learned, f4bc372194c73305, b042e511a8a7f6ae, 0.9289247 ratio 0.83294415, ebcb9850811d383b, 1ae140fd6a5c7c79, 5d2005f3a6285326
            cross-attention, none, 64e30354c87e8a9a, ec8abb2989ccbf6c, 0.89562035 ratio 0.83294415, 259ef3bf2034a5b6, 563b3eebb66b7838, 86b4b74bb7520547
            q-former, learned, 4527df60358c3f50, 2294176dbaa46040, 1.0100498 ratio 0.83294415, c14b14c294dc46cf, 481b8c53590155d7, 96870f41b2863673
            q-former, none, efb4f88b884a86d3, f23dd3c01a8ef1b0, 0.874404 ratio 0.83294415, d96e48d1d30f12f0, e4ea081286c23b39, 9ff7bdfb8d2b28eb
            q-former-decoder, learned, 8f68f3060ef56726, 70e3b989a0214f26, 0.9570838 ratio 0.83294415, e4c8f9fde8e0a251, a644ac560dc2ff4a, 4a84f1081f6bf8a2
            q-former-decoder, none, ed8b01c972ab47e1, 44f2addfec047a30, 1.1358172 ratio 0.83294415, d7d23709707101cf, 5c5a46ecea6c709e, 556235cdc90fcf16
            discon, learned, 213e09e130a6d3b0, a951b09be52e4a6d, 1.0326606 ratio 0.83294415, 5ce078af9af317db, 5099f393bc65cc66, 26b872add67d5157
            discon, none, 213e09e130a6d3b0, a951b09be52e4a6d, 1.0326606 ratio 0.83294415, 5ce078af9af317db, 5099f393bc65cc66, 26b872add67d5157
            """;

    static Stream<Arguments> goldens() {
        String table = MklKernels.roundsLikeGeneric() ? GENERIC_KERNELS : FEATURE_KERNELS;
        return table.lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> Arguments.of((Object[]) l.split(",\\s*")));
    }

    @ParameterizedTest(name = "{0} with discrete_positions {1}")
    @MethodSource("goldens")
    void everyFusionKindComputesExactlyWhatItDidBeforeTheRefactor(String fusion, String positions, String parameters,
            String weights, String loss, String gradients, String z, String samples) throws IOException {
        HybridConfig config = HybridFixtures.small(FusionKind.of(fusion), 4).withDropout(0.2, 0.2, 0.1, 0.1)
                .withDiscretePositions(DiscretePositions.of(positions));
        Golden actual = run(config);
        String what = fusion + " with discrete_positions " + positions;
        System.out.printf("golden %s: \"%s, %s, %s, %s, %s, %s, %s, %s\"%n", what, fusion, positions,
                actual.parameters, actual.weights, actual.loss, actual.gradients, actual.z, actual.samples);
        assertThat(actual.parameters).as(what + ": parameter names and shapes").isEqualTo(parameters);
        assertThat(actual.weights).as(what + ": initialized weights").isEqualTo(weights);
        assertThat(actual.loss).as(what + ": training loss").isEqualTo(loss);
        assertThat(actual.gradients).as(what + ": gradients").isEqualTo(gradients);
        assertThat(actual.z).as(what + ": condition z").isEqualTo(z);
        assertThat(actual.samples).as(what + ": samples").isEqualTo(samples);
    }

    private record Golden(String parameters, String weights, String loss, String gradients, String z,
            String samples) {
    }

    private static Golden run(HybridConfig config) throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            HybridModel model = new HybridModel(config);
            // as TrainingLoop: seed, then initialize, under the lock seeded draws share
            synchronized (SeededDraws.LOCK) {
                Engine.getInstance().setRandomSeed(17);
                model.initialize(m, DataType.FLOAT32, model.initShapes());
            }
            StringBuilder names = new StringBuilder();
            for (Pair<String, Parameter> p : model.getParameters()) {
                names.append(p.getKey()).append(' ').append(p.getValue().getArray().getShape()).append('\n');
            }
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            model.saveParameters(new DataOutputStream(saved));
            HybridFixtures.moveOffZeroInit(model, 19);

            SplittableRandom r = new SplittableRandom(23);
            float[] means = new float[B * N * C];
            float[] stds = new float[B * N * C];
            for (int i = 0; i < means.length; i++) {
                means[i] = (float) r.nextGaussian();
                stds[i] = (float) (0.1 + 0.2 * r.nextDouble());
            }
            int[] ids = r.ints(B * N, 0, HybridFixtures.VOCAB).toArray();
            int[] labels = {0, 2, 1};

            // one training loss (dropout on, posterior draws) and its gradients
            for (Pair<String, Parameter> p : model.getParameters()) {
                p.getValue().getArray().setRequiresGradient(true);
            }
            String loss;
            ByteBuffer grads;
            try (NDManager step = m.newSubManager(); GradientCollector collector = Engine.getInstance()
                    .newGradientCollector()) {
                NDList batch = new NDList(step.create(means, new Shape(B, N, C)), step.create(ids, new Shape(B, N)),
                        step.create(labels), step.create(stds, new Shape(B, N, C)));
                StepLoss l = model.loss(step, batch, new StepRandom(29, 3));
                loss = Float.toString(l.loss().getFloat()) + " ratio " + l.metrics().get("mask_ratio").getFloat();
                collector.backward(l.loss());
                int count = 0;
                for (Pair<String, Parameter> p : model.getParameters()) {
                    count += (int) p.getValue().getArray().getShape().size();
                }
                grads = ByteBuffer.allocate(4 * count);
                for (Pair<String, Parameter> p : model.getParameters()) {
                    for (float g : p.getValue().getArray().getGradient().toFloatArray()) {
                        grads.putFloat(g);
                    }
                }
            }
            for (Pair<String, Parameter> p : model.getParameters()) {
                p.getValue().getArray().setRequiresGradient(false);
            }

            // the condition z at inference, some positions masked, sample 1's discrete tokens fake
            float[] zValues;
            try (NDManager scope = m.newSubManager()) {
                boolean[][] masked = new boolean[B][];
                SplittableRandom orders = new SplittableRandom(31);
                for (int i = 0; i < B; i++) {
                    masked[i] = GenerationOrder.maskFirst(GenerationOrder.random(N, orders), 11);
                }
                zValues = model.condition(new ParameterStore(scope, false), scope.create(means, new Shape(B, N, C)),
                        scope.create(ids, new Shape(B, N)), labels, new boolean[] {false, false, true},
                        new boolean[] {false, true, false}, masked, null).toFloatArray();
            }

            // a short guided sampling run (fake class and fake tokens on the unconditional branch)
            int[][] rows = new int[B][N];
            for (int i = 0; i < B; i++) {
                System.arraycopy(ids, i * N, rows[i], 0, N);
            }
            float[] drawn;
            try (NDManager scope = m.newSubManager()) {
                drawn = new HybridSampler(model).sample(scope, labels, rows,
                        new HybridSamplingSettings(3, 2.0, GuidanceSchedule.LINEAR, 1.0, 0), 37, 0, null).toFloatArray();
            }
            return new Golden(digest(names.toString().getBytes(StandardCharsets.UTF_8)),
                    digest(saved.toByteArray()), loss, digest(grads.array()), digest(zValues), digest(drawn));
        }
    }

    private static String digest(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length);
        for (float v : values) {
            bytes.putFloat(v);
        }
        return digest(bytes.array());
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
