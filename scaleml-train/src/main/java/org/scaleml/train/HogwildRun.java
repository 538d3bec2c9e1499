package org.scaleml.train;

import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the worker threads and the calling thread of one {@link HogwildTrainer} run share for coordination: the
 * epoch barrier, the lock of locked mode, the stop flag and the first failure.
 *
 * <p>Thread-safe: every field is safe to use from any thread of the run ({@link Phaser}, {@link AtomicReference},
 * a {@code volatile} flag); see the synchronization part of {@link HogwildTrainer}'s algorithm comment.
 */
final class HogwildRun {
    /** The first failure of a run: the index of the worker that failed and what it threw. */
    record Failure(int thread, Throwable cause) {
    }

    /** threads + 1 parties (the workers and the caller), two phases per epoch: "go" and "end". */
    final Phaser phaser;
    /** The one lock of locked mode. */
    final Object lock = new Object();
    final AtomicReference<Failure> failure = new AtomicReference<>();
    volatile boolean stop;

    HogwildRun(int threads) {
        this.phaser = new Phaser(threads + 1);
    }

    /** The caller's arrival at a phase: false if the run was stopped. */
    boolean await() throws InterruptedException {
        int p = phaser.arrive();
        return p >= 0 && phaser.awaitAdvanceInterruptibly(p) >= 0 && !stop;
    }

    /** Records {@code t} as the run's failure if it is the first, and stops the run. */
    void fail(int thread, Throwable t) {
        failure.compareAndSet(null, new Failure(thread, t));
        stop();
    }

    /** Stops the run: sets the flag and terminates the barrier, which releases every waiter at once. */
    void stop() {
        stop = true;
        phaser.forceTermination();
    }
}
