package lab.d2c.model.train;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import lab.d2c.model.runtime.GradientScope;
import org.junit.jupiter.api.Test;

/**
 * Two node slots train in one JVM at the same time: each loop's gradients are its own and its
 * numbers are those of a loop that ran alone.
 */
@org.junit.jupiter.api.extension.ExtendWith(OneThread.class)
class ConcurrentLoopsTest {

    @Test
    void loopsOnTwoThreadsAtOnceGiveTheNumbersOfLoopsRunAlone() throws Exception {
        Runs.Outcome aloneA = Runs.run(Runs.config(300, 11));
        Runs.Outcome aloneB = Runs.run(Runs.config(300, 12));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(2);
            Future<Runs.Outcome> a = pool.submit(() -> {
                start.countDown();
                start.await();
                return Runs.run(Runs.config(300, 11));
            });
            Future<Runs.Outcome> b = pool.submit(() -> {
                start.countDown();
                start.await();
                return Runs.run(Runs.config(300, 12));
            });
            Runs.Outcome togetherA = a.get(5, TimeUnit.MINUTES);
            Runs.Outcome togetherB = b.get(5, TimeUnit.MINUTES);
            assertThat(TrainingLoopTest.bits(togetherA.result().losses())).isEqualTo(TrainingLoopTest.bits(aloneA.result().losses()));
            assertThat(TrainingLoopTest.bits(togetherB.result().losses())).isEqualTo(TrainingLoopTest.bits(aloneB.result().losses()));
            TrainingLoopTest.assertSameWeights(togetherA.weights(), aloneA.weights());
            TrainingLoopTest.assertSameWeights(togetherB.weights(), aloneB.weights());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLoopTrainsWhileAnotherThreadHoldsAnOpenScope() throws Exception {
        // DJL's PtGradientCollector refuses a second collector anywhere in the JVM; the scope is
        // per thread, so a loop on another thread neither waits for nor trips over this one.
        ExecutorService pool = Executors.newSingleThreadExecutor();
        boolean before = JniUtils.isGradMode();
        pool.submit(() -> JniUtils.setGradMode(false)).get(1, TimeUnit.MINUTES);
        try (GradientScope held = GradientScope.open()) {
            assertThat(JniUtils.isGradMode()).isTrue();
            Future<Boolean> otherThreadMode = pool.submit(JniUtils::isGradMode);
            Future<Runs.Outcome> other = pool.submit(() -> Runs.run(Runs.config(50, 5)));
            assertThat(otherThreadMode.get(1, TimeUnit.MINUTES)).as("grad mode is thread-local").isFalse();
            Runs.Outcome outcome = other.get(5, TimeUnit.MINUTES);
            assertThat(outcome.result().finalStep()).isEqualTo(50);
            assertThat(outcome.result().losses()[49]).isLessThan(outcome.result().losses()[0]);
        } finally {
            pool.shutdownNow();
        }
        assertThat(JniUtils.isGradMode()).isEqualTo(before);
    }
}
