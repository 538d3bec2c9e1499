package org.scaleml.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class ThreadsTest {
    @Test
    void joinsEveryThreadAndSkipsNulls() {
        AtomicInteger done = new AtomicInteger();
        Thread[] ts = new Thread[4];
        for (int k = 1; k < ts.length; k++) {
            ts[k] = new Thread(() -> {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                done.incrementAndGet();
            });
            ts[k].start();
        }
        assertThat(Threads.joinAll(ts)).isFalse();
        assertThat(done.get()).isEqualTo(3);
        for (int k = 1; k < ts.length; k++) {
            assertThat(ts[k].isAlive()).isFalse();
        }
    }

    @Test
    void waitsThroughAnInterruptAndRestoresIt() {
        Thread slow = new Thread(() -> {
            long end = System.nanoTime() + 50_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        });
        slow.start();
        Thread.currentThread().interrupt();
        boolean interrupted = Threads.joinAll(slow);
        assertThat(Thread.interrupted()).isTrue(); // clears it again for the other tests
        assertThat(interrupted).isTrue();
        assertThat(slow.isAlive()).isFalse();
    }
}
