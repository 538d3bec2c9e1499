package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkerTeamTest {
    @Test
    void barrierSeparatesPhases() {
        for (int threads = 1; threads <= 4; threads++) {
            int t = threads;
            int phases = 2_000;
            int[] written = new int[t];
            AtomicInteger violations = new AtomicInteger();
            WorkerTeam.run(t, "test", null, (worker, team) -> {
                for (int p = 1; p <= phases; p++) {
                    written[worker] = p; // plain write, published by the barrier
                    team.await();
                    for (int k = 0; k < t; k++) {
                        if (written[k] != p) {
                            violations.incrementAndGet();
                        }
                    }
                    team.await();
                }
            });
            assertThat(violations.get()).as("threads %d", t).isZero();
        }
    }

    @Test
    @Timeout(30)
    void failureOfOneWorkerReleasesTheOthersAndIsRethrown() {
        assertThatThrownBy(() -> WorkerTeam.run(3, "test", null, (worker, team) -> {
            if (worker == 2) {
                throw new IllegalArgumentException("boom");
            }
            team.await(); // would wait forever for worker 2
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
    }

    @Test
    void parallelForCoversEveryIndexOnce() {
        AtomicIntegerArray hits = new AtomicIntegerArray(10_007);
        WorkerTeam.parallelFor(hits.length(), 100, 3, "test", (from, to) -> {
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        });
        for (int i = 0; i < hits.length(); i++) {
            assertThat(hits.get(i)).as("index %d", i).isEqualTo(1);
        }
    }

    @Test
    void refusesBadArguments() {
        assertThatThrownBy(() -> WorkerTeam.run(0, "test", null, (w, t) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
        assertThatThrownBy(() -> WorkerTeam.parallelFor(5, 0, 1, "test", (a, b) -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("chunk");
    }
}
