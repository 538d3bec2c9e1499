package org.scaleml.concurrent;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/** Runs a body on several threads that start together, for the concurrent tests. */
public final class TestThreads {
    private TestThreads() {
    }

    /**
     * Runs {@code body(i)} on threads {@code i = 0 .. threads-1}, released together by a barrier, and waits for all
     * (at most two minutes). The first exception or assertion failure of any thread is rethrown.
     */
    public static void run(int threads, IntConsumer body) throws InterruptedException {
        CyclicBarrier go = new CyclicBarrier(threads);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                    body.accept(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "test-" + t);
            workers.add(w);
            w.start();
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        for (Thread w : workers) {
            w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            if (w.isAlive()) {
                throw new AssertionError(w.getName() + " did not finish within two minutes");
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("a test thread failed", failure.get());
        }
    }
}
