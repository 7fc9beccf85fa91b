package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.extension.ExtendWith(OneThread.class)
class TrainingLoopTest {

    @Test
    void resumedRunMatchesUninterruptedRunBitForBit() throws Exception {
        TrainConfig withCheckpoints = Runs.config(2000, 7, 1000);
        long t0 = System.nanoTime();
        Runs.Outcome straight = Runs.run(withCheckpoints);
        long t1 = System.nanoTime();

        AtomicLong done = new AtomicLong();
        Runs.Outcome first = Runs.run(withCheckpoints, null, b -> b
                .optListener(new TrainingListener() {
                    @Override
                    public void onStep(StepReport report) {
                        done.set(report.step() + 1);
                    }
                })
                .optStopSignal(() -> done.get() >= 1000));
        long t2 = System.nanoTime();
        assertThat(first.result().stopped()).isTrue();
        assertThat(first.result().finalStep()).isEqualTo(1000);
        byte[] checkpoint = first.sink().saved.get(1000L);
        assertThat(checkpoint).isNotNull();
        // Same state, same bytes: the stopped run's checkpoint equals the uninterrupted run's.
        assertThat(checkpoint).isEqualTo(straight.sink().saved.get(1000L));

        Runs.Outcome resumed = Runs.run(withCheckpoints, checkpoint, b -> { });
        long t3 = System.nanoTime();
        System.out.printf("resume test: straight 2000 steps %.1f s, first 1000 %.1f s, resumed 1000 %.1f s, "
                + "checkpoint %d bytes%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, checkpoint.length);

        assertThat(resumed.result().startStep()).isEqualTo(1000);
        assertThat(resumed.result().finalStep()).isEqualTo(2000);
        float[] tail = Arrays.copyOfRange(straight.result().losses(), 1000, 2000);
        assertThat(bits(resumed.result().losses())).isEqualTo(bits(tail));
        assertSameWeights(resumed.weights(), straight.weights());
        for (int i = 0; i < straight.ema().length; i++) {
            assertThat(bits(resumed.ema()[i])).as("EMA %d", i).isEqualTo(bits(straight.ema()[i]));
        }
        assertThat(resumed.sink().saved.get(2000L)).isEqualTo(straight.sink().saved.get(2000L));
    }

    @Test
    void earlyStopEndsTheRunFinishedWithACheckpointAndAResumeStopsThereAgain() throws Exception {
        TrainConfig capped = Runs.config(300, 7, 100);
        Runs.Outcome straight = Runs.run(capped);
        // the rule sees the steps done after each step: here, stop once 130 are done
        Runs.Outcome early = Runs.run(capped, null, b -> b.optEarlyStop(done -> done >= 130));
        assertThat(early.result().stoppedEarly()).isTrue();
        assertThat(early.result().stopped()).isFalse();
        assertThat(early.result().finalStep()).isEqualTo(130);
        assertThat(early.result().losses()).hasSize(130);
        // the same steps as the uncapped run up to there, and a checkpoint at the stop (not only at 100)
        assertThat(bits(early.result().losses())).isEqualTo(bits(Arrays.copyOf(straight.result().losses(), 130)));
        assertThat(early.sink().saved).containsKeys(100L, 130L).doesNotContainKey(300L);

        // a worker lost after the stop resumes from that checkpoint: the rule holds again, nothing trains
        Runs.Outcome resumed = Runs.run(capped, early.sink().saved.get(130L), b -> b.optEarlyStop(done -> done >= 130));
        assertThat(resumed.result().stoppedEarly()).isTrue();
        assertThat(resumed.result().finalStep()).isEqualTo(130);
        assertThat(resumed.result().losses()).isEmpty();
        assertSameWeights(resumed.weights(), early.weights());

        // without the rule the same checkpoint trains on to the cap, as the never-stopped run did
        Runs.Outcome onward = Runs.run(capped, early.sink().saved.get(130L), b -> { });
        assertThat(onward.result().stoppedEarly()).isFalse();
        assertThat(onward.result().finalStep()).isEqualTo(300);
        assertSameWeights(onward.weights(), straight.weights());
    }

    @Test
    void sameSeedTwiceIsBitIdenticalAndOtherSeedDiffers() throws Exception {
        Runs.Outcome a = Runs.run(Runs.config(200, 3));
        Runs.Outcome b = Runs.run(Runs.config(200, 3));
        Runs.Outcome c = Runs.run(Runs.config(200, 4));
        assertThat(bits(a.result().losses())).isEqualTo(bits(b.result().losses()));
        assertSameWeights(a.weights(), b.weights());
        assertThat(a.result().losses()).isNotEqualTo(c.result().losses());
        assertThat(a.weights().get(0)).isNotEqualTo(c.weights().get(0));
    }

    @Test
    void garbageCollectionBetweenStepsChangesNothing() throws Exception {
        // Pitfall 1: a Java-side scalar freed by GC while autograd holds it corrupts gradients.
        TrainingListener collectGarbage = new TrainingListener() {
            @Override
            public void onStep(StepReport report) {
                System.gc();
            }
        };
        Runs.Outcome plain = Runs.run(Runs.config(40, 11));
        Runs.Outcome a = Runs.run(Runs.config(40, 11), null, b -> b.optListener(collectGarbage));
        Runs.Outcome b = Runs.run(Runs.config(40, 11), null, x -> x.optListener(collectGarbage));
        assertThat(bits(a.result().losses())).isEqualTo(bits(b.result().losses()));
        assertThat(bits(a.result().losses())).isEqualTo(bits(plain.result().losses()));
        assertSameWeights(a.weights(), plain.weights());
    }

    @Test
    void lossFallsMoreThanTenfold() throws Exception {
        TrainConfig config = TrainConfig.builder().setSteps(600).setBatchSize(32).setLr(1e-2).setSeed(1)
                .optWarmupSteps(20).optWeightDecay(0.01).build();
        float[] losses = Runs.run(config).result().losses();
        double start = mean(losses, 0, 10);
        double end = mean(losses, losses.length - 20, losses.length);
        System.out.printf("loss %.4f -> %.5f%n", start, end);
        assertThat(end).isLessThan(start / 10);
    }

    @Test
    void reportsProgressAndCheckpointsOnSchedule() throws Exception {
        List<StepReport> reports = new ArrayList<>();
        List<Long> checkpoints = new ArrayList<>();
        TrainConfig config = TrainConfig.builder().setSteps(25).setBatchSize(100).setLr(1e-3).setSeed(5)
                .optWarmupSteps(10).optCheckpointEvery(10).build();
        Runs.Outcome out = Runs.run(config, null, b -> b.optListener(new TrainingListener() {
            @Override
            public void onStep(StepReport report) {
                reports.add(report);
            }

            @Override
            public void onCheckpoint(long step) {
                checkpoints.add(step);
            }
        }));
        assertThat(reports).hasSize(25);
        assertThat(reports.get(0).step()).isZero();
        assertThat(reports.get(0).lr()).isEqualTo(1e-4, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(reports.get(24).lr()).isEqualTo(1e-3);
        assertThat(reports.get(24).totalSteps()).isEqualTo(25);
        assertThat(reports.get(24).etaSeconds()).isZero();
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.metrics()).containsKey("mae");
            assertThat(r.gradNorm()).isPositive();
            assertThat(r.stepsPerSecond()).isPositive();
        });
        assertThat(checkpoints).containsExactly(10L, 20L, 25L);
        assertThat(out.sink().saved.keySet()).containsExactly(10L, 20L, 25L);
        Checkpoint last = Checkpoint.read(new ByteArrayInputStream(out.sink().saved.get(25L)));
        assertThat(last.header().step()).isEqualTo(25);
        // 256 items, batch 100: two batches an epoch (the partial third is dropped).
        assertThat(last.header().cursor()).isEqualTo(new DataCursor(12, 100));
        assertThat(out.result().losses()).hasSize(25);
    }

    @Test
    void refusesACheckpointOfOtherSettingsAndACorruptOne() throws Exception {
        TrainConfig config = Runs.config(10, 9);
        byte[] checkpoint = Runs.run(config).sink().saved.get(10L);
        TrainConfig otherLr = TrainConfig.builder().setSteps(20).setBatchSize(32).setLr(1e-3).setSeed(9).build();
        assertThatThrownBy(() -> Runs.run(otherLr, checkpoint, b -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lr=0.003");
        byte[] truncated = Arrays.copyOf(checkpoint, checkpoint.length - 1);
        assertThatThrownBy(() -> Runs.run(config.withSteps(20), truncated, b -> { }))
                .isInstanceOf(CheckpointCorruptException.class).hasMessageContaining("truncated");
    }

    @Test
    void stopsBeforeTheFirstStepWhenAskedTo() throws Exception {
        Runs.Outcome out = Runs.run(Runs.config(10, 1), null, b -> b.optStopSignal(() -> true));
        assertThat(out.result().stopped()).isTrue();
        assertThat(out.result().finalStep()).isZero();
        assertThat(out.sink().saved).isEmpty();
    }

    @Test
    void listenerExceptionStopsTheLoop() {
        assertThatThrownBy(() -> Runs.run(Runs.config(10, 1), null, b -> b.optListener(new TrainingListener() {
            @Override
            public void onStep(StepReport report) {
                throw new IllegalStateException("cancelled by heartbeat");
            }
        }))).hasMessage("cancelled by heartbeat");
    }

    static void assertSameWeights(List<float[]> actual, List<float[]> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < actual.size(); i++) {
            assertThat(bits(actual.get(i))).as("parameter %d", i).isEqualTo(bits(expected.get(i)));
        }
    }

    static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    private static double mean(float[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }
}
