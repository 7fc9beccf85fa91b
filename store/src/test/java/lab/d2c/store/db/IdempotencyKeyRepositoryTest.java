package lab.d2c.store.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import lab.d2c.store.StoreException;
import lab.d2c.store.testing.TestStack;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency keys on the real PostgreSQL: one holder per key, waiting on an open claim, gone with the sweep. */
class IdempotencyKeyRepositoryTest {

    private Database db;
    private IdempotencyKeyRepository keys;
    private SweepRepository sweeps;

    @BeforeEach
    void setUp() {
        db = TestStack.get().database();
        keys = new IdempotencyKeyRepository(db.dataSource());
        sweeps = new SweepRepository(db.dataSource());
    }

    /** Claims the key and then records the sweep, as a submission does. */
    private boolean claimAndRecord(String key, String sha, String sweepId) {
        return db.inTransaction(c -> {
            if (!keys.claim(c, key, sha, sweepId)) {
                return false;
            }
            sweeps.insert(c, SweepRecord.pending(sweepId, "n", "t", "{}", 0, "wf"));
            return true;
        });
    }

    @Test
    void theFirstClaimHoldsTheKeyAndTheRowGoesWithItsSweep() {
        String key = Ids.unique("key");
        String first = Ids.unique("sweep");
        String second = Ids.unique("sweep");
        assertThat(claimAndRecord(key, "aa", first)).isTrue();
        assertThat(claimAndRecord(key, "bb", second)).isFalse();
        assertThat(sweeps.find(second)).as("the loser wrote nothing").isEmpty();
        assertThat(keys.find(key).orElseThrow()).satisfies(k -> {
            assertThat(k.sweepId()).isEqualTo(first);
            assertThat(k.requestSha256()).isEqualTo("aa");
            assertThat(k.createdAt()).isNotNull();
        });

        sweeps.delete(first);
        assertThat(keys.find(key)).as("deleted with its sweep").isEmpty();
        assertThat(claimAndRecord(key, "bb", second)).as("free again").isTrue();
    }

    @Test
    void aClaimWithoutItsSweepFailsAtCommit() {
        String key = Ids.unique("key");
        assertThatThrownBy(() -> db.inTransaction(c -> keys.claim(c, key, "aa", Ids.unique("no-sweep"))))
                .isInstanceOf(StoreException.class).hasMessageContaining("sweep_idempotency_keys");
        assertThat(keys.find(key)).isEmpty();
    }

    @Test
    void aSecondClaimWaitsForTheOpenOneAndLosesOnlyIfItCommits() throws Exception {
        for (boolean commit : new boolean[] {true, false}) {
            String key = Ids.unique("key");
            String holder = Ids.unique("sweep");
            CountDownLatch claimed = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
                try {
                    db.inTransaction(c -> {
                        assertThat(keys.claim(c, key, "aa", holder)).isTrue();
                        sweeps.insert(c, SweepRecord.pending(holder, "n", "t", "{}", 0, "wf"));
                        claimed.countDown();
                        awaitQuietly(release);
                        if (!commit) {
                            throw new IllegalStateException("roll back");
                        }
                        return null;
                    });
                } catch (IllegalStateException e) {
                    // the rollback this round asked for
                }
            });
            assertThat(claimed.await(10, TimeUnit.SECONDS)).isTrue();
            String waiter = Ids.unique("sweep");
            CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> claimAndRecord(key, "aa", waiter));
            Thread.sleep(300);
            assertThat(second).as("blocked on the open claim").isNotDone();
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            assertThat(second.get(10, TimeUnit.SECONDS)).as("second claim after a %s", commit ? "commit" : "rollback")
                    .isEqualTo(!commit);
            assertThat(keys.find(key).orElseThrow().sweepId()).isEqualTo(commit ? holder : waiter);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
