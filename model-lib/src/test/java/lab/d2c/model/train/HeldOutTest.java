package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The held-out split keeps whole groups (both flips of an image) out of every training batch, and the
 * held-out loss is a deterministic function of the weights that leaves the training draws alone.
 */
@ExtendWith(OneThread.class)
class HeldOutTest {

    @Test
    void theSplitIsFixedDisjointAndKeepsGroupsWhole() {
        HeldOut split = HeldOut.split(200, 2, 0.05);
        assertThat(split.heldOut()).hasSize(10);
        assertThat(split.train()).hasSize(190);
        Set<Integer> all = new HashSet<>();
        Arrays.stream(split.train()).forEach(all::add);
        Arrays.stream(split.heldOut()).forEach(i -> assertThat(all.add(i)).as("item %d in both", i).isTrue());
        assertThat(all).hasSize(200);
        for (int i = 0; i < split.heldOut().length; i += 2) {
            assertThat(split.heldOut()[i] % 2).isZero();
            assertThat(split.heldOut()[i + 1]).isEqualTo(split.heldOut()[i] + 1);
        }
        assertThat(HeldOut.split(200, 2, 0.05)).isEqualTo(split);
        assertThat(HeldOut.split(200, 2, 0.0).heldOut()).isEmpty();
        assertThat(HeldOut.split(200, 2, 0.001).heldOut()).hasSize(2);
        assertThatThrownBy(() -> HeldOut.split(201, 2, 0.05)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void heldOutItemsNeverReachABatch() throws Exception {
        HeldOut split = HeldOut.split(Runs.DATA.size(), 2, 0.25);
        List<Integer> seen = new ArrayList<>();
        BatchSource recording = new BatchSource() {
            @Override
            public int size() {
                return Runs.DATA.size();
            }

            @Override
            public NDList batch(NDManager manager, int[] indices) {
                Arrays.stream(indices).forEach(seen::add);
                return Runs.DATA.batch(manager, indices);
            }
        };
        // 30 steps of 32 over 192 training items: five epochs
        try (TrainingLoop loop = TrainingLoop.builder().setModel(new TinyMlp())
                .setData(HeldOut.subset(recording, split.train())).setConfig(Runs.config(30, 3)).build()) {
            loop.run();
        }
        Set<Integer> held = new HashSet<>();
        Arrays.stream(split.heldOut()).forEach(held::add);
        assertThat(seen).hasSize(30 * 32).noneMatch(held::contains);
        assertThat(new HashSet<>(seen)).containsExactlyInAnyOrderElementsOf(
                IntStream.of(split.train()).boxed().toList());
    }

    @Test
    void theHeldOutLossIsAFunctionOfTheWeightsAndLeavesTrainingAlone() throws Exception {
        HeldOut split = HeldOut.split(Runs.DATA.size(), 2, 0.1);
        BatchSource train = HeldOut.subset(Runs.DATA, split.train());
        float[] plain;
        double plainFinal;
        TinyMlp model = new TinyMlp();
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(train).setConfig(Runs.config(20, 4))
                .build()) {
            plain = loop.run().losses();
            plainFinal = HeldOutLoss.mean(model, Runs.DATA, split.heldOut(), 8, loop.manager());
        }
        // the same run, measuring the held-out loss twice after every step
        TinyMlp measured = new TinyMlp();
        List<Double> values = new ArrayList<>();
        TrainingLoop[] running = new TrainingLoop[1];
        float[] withEval;
        try (TrainingLoop loop = TrainingLoop.builder().setModel(measured).setData(train)
                .setConfig(Runs.config(20, 4)).optListener(new TrainingListener() {
                    @Override
                    public void onStep(StepReport r) {
                        double a = HeldOutLoss.mean(measured, Runs.DATA, split.heldOut(), 8, running[0].manager());
                        double b = HeldOutLoss.mean(measured, Runs.DATA, split.heldOut(), 8, running[0].manager());
                        assertThat(b).isEqualTo(a);
                        values.add(a);
                    }
                }).build()) {
            running[0] = loop;
            withEval = loop.run().losses();
        }
        assertThat(withEval).containsExactly(plain);
        assertThat(values).hasSize(20);
        assertThat(values.get(19)).isLessThan(values.get(0));
        // the run without evaluations has the same final weights, so the same value
        assertThat(plainFinal).isEqualTo(values.get(19));
    }

    /**
     * A model's held-out metrics are item-weighted means over the chunks (chunks of 4, 4 and 2 items: a metric
     * equal to the chunk's size averages to (16 + 16 + 4) / 10), and each chunk's metrics get the draws its loss
     * got (a metric that recomputes the loss from its rng equals the held-out loss exactly).
     */
    @Test
    void heldOutMetricsAreItemWeightedAndDrawnAsTheLoss() throws Exception {
        TinyMlp inner = new TinyMlp();
        TrainableModel model = new TrainableModel() {
            @Override
            public ai.djl.nn.Block block() {
                return inner.block();
            }

            @Override
            public ai.djl.ndarray.types.Shape[] initShapes() {
                return inner.initShapes();
            }

            @Override
            public StepLoss loss(NDManager step, NDList batch, StepRandom rng) {
                return inner.loss(step, batch, rng);
            }

            @Override
            public java.util.Map<String, ai.djl.ndarray.NDArray> heldOutMetrics(NDManager step, NDList batch,
                    StepRandom rng) {
                return java.util.Map.of("loss_again", inner.loss(step, batch, rng).loss(),
                        "items", step.create((float) batch.get(0).getShape().get(0)));
            }
        };
        int[] items = IntStream.range(0, 10).toArray();
        try (TrainingLoop loop = TrainingLoop.builder().setModel(model).setData(Runs.DATA).setConfig(Runs.config(3, 4))
                .build()) {
            loop.run();
            HeldOutLoss.Result r = HeldOutLoss.evaluate(model, Runs.DATA, items, 4, loop.manager());
            assertThat(r.metrics()).containsOnlyKeys("loss_again", "items");
            assertThat(r.metrics().get("items")).isEqualTo(3.6, org.assertj.core.api.Assertions.within(1e-12));
            assertThat(r.metrics().get("loss_again")).isEqualTo(r.loss());
            assertThat(HeldOutLoss.mean(model, Runs.DATA, items, 4, loop.manager())).isEqualTo(r.loss());
        }
    }
}
