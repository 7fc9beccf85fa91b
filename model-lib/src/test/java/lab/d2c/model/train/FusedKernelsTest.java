package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The native kernels of {@code native/fused-optimizer} against the ops they replace. {@code ./d2c test} builds the
 * library and sets {@code D2C_REQUIRE_FUSED_OPTIMIZER=1}, so there these tests fail rather than skip when it is
 * missing; without the library they are skipped (there is nothing to compare).
 */
class FusedKernelsTest {

    private static final Shape INPUT = new Shape(6, 101);

    @BeforeEach
    void theLibraryIsLoaded() {
        if ("1".equals(System.getenv("D2C_REQUIRE_FUSED_OPTIMIZER"))) {
            assertThat(FusedKernels.loaded()).as(FusedKernels.status()).isTrue();
        }
        assumeThat(FusedKernels.loaded()).as(FusedKernels.status()).isTrue();
    }

    /**
     * Two copies of a block (101,000 + 1,000 decayed and undecayed parameters, lengths that are not a multiple of a
     * vector's), trained 6 steps on the same random batches, one with the kernels and one with the ops: weights,
     * EMA shadows and both moments agree bit for bit after every step, and the weights did move. Even steps clip
     * the gradients (to 0.3 of their norm): the ops arm as before, scaling them in place before AdamW, the kernel arm
     * by folding the factor into AdamW's pass.
     */
    @Test
    void adamwAndTheEmaGiveTheOpsResultBitForBit() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block fusedBlock = block(manager);
            Block opsBlock = block(manager);
            List<TrainableParameters.Named> fusedParams = TrainableParameters.all(fusedBlock);
            List<TrainableParameters.Named> opsParams = TrainableParameters.all(opsBlock);
            float[][] start = Fixtures.values(fusedParams);
            assertThat(Fixtures.values(opsParams)).isDeepEqualTo(start);
            AdamW fused = adamw(manager, fusedBlock, true);
            AdamW ops = adamw(manager, opsBlock, false);
            Ema fusedEma = new Ema(fusedBlock, 0.9, manager.newSubManager()).useFusedKernels(true);
            Ema opsEma = new Ema(opsBlock, 0.9, manager.newSubManager()).useFusedKernels(false);
            Random random = new Random(7);
            for (int t = 1; t <= 6; t++) {
                float[] x = gaussian(random, (int) INPUT.size(), 3);
                float[] target = gaussian(random, 6 * 1000, 1);
                boolean clip = t % 2 == 0;
                step(manager, fusedBlock, fused, fusedEma, x, target, 0.01 * t, clip, true);
                step(manager, opsBlock, ops, opsEma, x, target, 0.01 * t, clip, false);
                float[][] w = Fixtures.values(fusedParams);
                assertThat(bits(w)).as("weights after step %d", t).isDeepEqualTo(bits(Fixtures.values(opsParams)));
                assertThat(bits(fusedEma.toFloatArrays())).as("EMA after step %d", t)
                        .isDeepEqualTo(bits(opsEma.toFloatArrays()));
            }
            assertThat(state(fused)).as("both moments").isEqualTo(state(ops));
            assertThat(bits(Fixtures.values(fusedParams))).as("the steps changed the weights")
                    .isNotEqualTo(bits(start));
        }
    }

    /**
     * The kernels write into the arrays' own memory (a closed form read back through libtorch; the gradient reset
     * against the ops' {@code g - g}), and only arrays
     * with their own contiguous float32 storage get an address: a transposed view (whose buffer would be a copy)
     * and a float64 array get 0.
     */
    @Test
    void onlyContiguousFloat32StorageIsWrittenInPlace() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray shadow = manager.create(new float[] {1, 2, -4, 8, 0.5f}, new Shape(5));
            NDArray p = manager.create(new float[] {3, 5, 4, -8, 0.25f}, new Shape(5));
            long[] at = FusedKernels.addresses(shadow, p);
            assertThat(at).isNotNull();
            FusedKernels.ema(at[0], at[1], 5, 0.75f, 0.25f);
            assertThat(shadow.toFloatArray()).containsExactly(1.5f, 2.75f, -2f, 4f, 0.4375f);
            assertThat(p.toFloatArray()).containsExactly(3, 5, 4, -8, 0.25f);

            float[] gradient = {1.5f, -0.0f, 3e38f, -1e-45f, Float.MIN_NORMAL, -7f, 0f};
            NDArray zeroed = manager.create(gradient);
            NDArray subtracted = manager.create(gradient);
            FusedKernels.zero(FusedKernels.address(zeroed), gradient.length);
            subtracted.subi(subtracted);
            assertThat(bits(new float[][] {zeroed.toFloatArray()}))
                    .as("the zero kernel gives the training loop's g - g, +0 everywhere")
                    .isDeepEqualTo(bits(new float[][] {subtracted.toFloatArray()}))
                    .isDeepEqualTo(bits(new float[][] {new float[gradient.length]}));

            NDArray matrix = manager.arange(12f).reshape(3, 4);
            assertThat(FusedKernels.address(matrix)).isNotZero();
            assertThat(FusedKernels.address(matrix.transpose())).isZero();
            assertThat(FusedKernels.address(matrix.toType(DataType.FLOAT64, false))).isZero();
        }
    }

    /**
     * A library whose entry points have other signatures is refused by its version number instead of being called
     * with the wrong arguments (a stale library once crashed a test JVM), and the loaded one reports this class's.
     */
    @Test
    void aLibraryOfAnotherVersionIsRefused() {
        assertThat(FusedKernels.refusal("lib.so", FusedKernels.ABI_VERSION)).isNull();
        assertThat(FusedKernels.refusal("lib.so", FusedKernels.ABI_VERSION - 1)).startsWith("off (lib.so")
                .contains("version " + (FusedKernels.ABI_VERSION - 1), "rebuild");
        assertThat(FusedKernels.status()).startsWith("loaded from");
    }

    /**
     * Clipping's sum of squares: the native kernel and {@link SumOfSquares}'s Java loop give the same double, bit for
     * bit, on lengths below, at and around a block of eight (the tail path) and on a million draws; and the exact value
     * on integers, whose sums of squares double precision holds exactly. The draws' magnitudes spread over 2^-20 to
     * 2^20, so nearly every addition rounds and another order of additions shows in the last bits (a kernel that adds
     * its tail to the last running sum instead of the first fails here).
     */
    @Test
    void theSumOfSquaresKernelAndTheJavaLoopAgreeBitForBit() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Random random = new Random(11);
            assertThat(SumOfSquares.of(manager.create(new float[0]))).isZero();
            for (int n : new int[] {1, 7, 8, 9, 15, 16, 17, 1_000_003}) {
                float[] values = gaussian(random, n, 1);
                for (int i = 0; i < n; i++) {
                    values[i] = (float) (values[i] * Math.scalb(1.0, random.nextInt(41) - 20));
                }
                NDArray g = manager.create(values);
                long at = FusedKernels.address(g);
                assertThat(at).as("n = %d has its own storage", n).isNotZero();
                double kernel = FusedKernels.sumSquares(at, n);
                double loop = SumOfSquares.java(java.nio.FloatBuffer.wrap(values));
                assertThat(Double.doubleToRawLongBits(kernel)).as("n = %d: %s against %s", n, kernel, loop)
                        .isEqualTo(Double.doubleToRawLongBits(loop));
                assertThat(SumOfSquares.of(g)).isEqualTo(kernel);
            }
            float[] integers = new float[1001];
            for (int i = 0; i < integers.length; i++) {
                integers[i] = i + 1;
            }
            double exact = 1001.0 * 1002 * 2003 / 6; // sum of k^2 for k = 1..n is n(n+1)(2n+1)/6
            NDArray g = manager.create(integers);
            assertThat(FusedKernels.sumSquares(FusedKernels.address(g), integers.length)).isEqualTo(exact);
        }
    }

    private static Block block(NDManager manager) {
        Block block = new SequentialBlock().add(Linear.builder().setUnits(1000).build()).add(LayerNorm.builder().build());
        Engine.getInstance().setRandomSeed(11);
        block.initialize(manager, DataType.FLOAT32, INPUT);
        return block;
    }

    private static AdamW adamw(NDManager manager, Block block, boolean useKernels) {
        return AdamW.builder().setBlock(block).setManager(manager.newSubManager()).optBetas(0.9, 0.95).optEps(1e-8)
                .optWeightDecay(0.1).optFusedKernels(useKernels).build();
    }

    private static void step(NDManager manager, Block block, AdamW adamw, Ema ema, float[] x, float[] target,
            double lr, boolean clip, boolean fold) {
        try (NDManager step = manager.newSubManager()) {
            NDArray input = step.create(x, INPUT);
            NDArray y = step.create(target, new Shape(6, 1000));
            Fixtures.backward(step, block, input, out -> out.sub(y).square().mean());
            List<TrainableParameters.Named> parameters = TrainableParameters.trainable(block);
            double norm = GradientClipping.norm(step, parameters);
            double maxNorm = clip ? 0.3 * norm : 0;
            if (fold) {
                double factor = GradientClipping.factor(norm, maxNorm);
                assertThat(factor).as("clipping's factor").isEqualTo(clip ? 0.3 * norm / (norm + 1e-6) : 1);
                adamw.step(step, lr, factor);
            } else {
                GradientClipping.globalNorm(step, parameters, maxNorm);
                adamw.step(step, lr);
            }
            ema.update(step);
        }
    }

    private static float[] gaussian(Random random, int n, double scale) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextGaussian() * scale);
        }
        return out;
    }

    private static int[][] bits(float[][] values) {
        int[][] out = new int[values.length][];
        for (int p = 0; p < values.length; p++) {
            out[p] = new int[values[p].length];
            for (int i = 0; i < values[p].length; i++) {
                out[p][i] = Float.floatToRawIntBits(values[p][i]);
            }
        }
        return out;
    }

    private static byte[] state(AdamW adamw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            adamw.save(out);
        }
        return bytes.toByteArray();
    }
}
