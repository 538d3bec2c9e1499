package org.scaleml.cli.bench;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Worker threads of one benchmark phase. Each runs its body, which awaits the start barrier once its set-up is done;
 * the coordinator's {@link #startAndAwaitReady()} returns the common start time. A failing worker breaks the barrier
 * so nobody waits forever, and {@link #join()} rethrows its exception. {@link #timed} runs the common case: loops
 * that count operations until a stop flag is raised after a fixed time.
 */
final class TimedWorkers {
    private final Thread[] threads;
    private final CyclicBarrier barrier;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long startNanos;

    /** A worker body; it calls {@code start.await()} once, when its set-up is done. */
    interface Body {
        void run(CyclicBarrier start) throws Exception;
    }

    interface BodyFactory {
        Body create(int index);
    }

    /** A raised-once flag that timed loops poll. */
    static final class StopFlag {
        volatile boolean stop;
    }

    /**
     * The measured loop of worker {@code index}: runs until {@code stop.stop}, returns its operation count. Set-up
     * belongs in the factory ({@link #timed}'s {@code loops}), which runs on the worker before the start.
     */
    interface Loop {
        long run(StopFlag stop);
    }

    interface LoopFactory {
        Loop create(int index);
    }

    /**
     * Operation counts of a timed run.
     *
     * @param ops   per worker
     * @param nanos from the common start to the last worker's stop
     */
    record Timing(long[] ops, long nanos) {
        long total() {
            long t = 0;
            for (long o : ops) {
                t += o;
            }
            return t;
        }

        double perSecond() {
            return total() / (Math.max(nanos, 1) / 1e9);
        }
    }

    TimedWorkers(int count, BodyFactory factory) {
        barrier = new CyclicBarrier(count + 1, () -> startNanos = System.nanoTime());
        threads = new Thread[count];
        for (int i = 0; i < count; i++) {
            Body body = factory.create(i);
            threads[i] = new Thread(() -> {
                try {
                    body.run(barrier);
                } catch (BrokenBarrierException e) {
                    // another worker failed or the coordinator was interrupted; that failure is reported
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    barrier.reset();
                }
            }, "scaleml-bench-" + i);
            threads[i].setDaemon(true);
        }
    }

    /**
     * Runs {@code count} loops (each created on its own thread, before the start) for {@code seconds} of wall time.
     *
     * @throws InterruptedException if the calling thread is interrupted (workers are stopped first)
     */
    static Timing timed(int count, double seconds, LoopFactory loops) throws InterruptedException {
        long[] ops = new long[count];
        long[] stoppedAt = new long[count];
        StopFlag stop = new StopFlag();
        TimedWorkers workers = new TimedWorkers(count, i -> start -> {
            Loop loop = loops.create(i);
            start.await();
            ops[i] = loop.run(stop);
            stoppedAt[i] = System.nanoTime();
        });
        long start = workers.startAndAwaitReady();
        try {
            sleepUntil(start + (long) (seconds * 1e9));
        } finally {
            stop.stop = true;
            workers.join();
        }
        long end = start;
        for (long t : stoppedAt) {
            end = Math.max(end, t);
        }
        return new Timing(ops, end - start);
    }

    long startAndAwaitReady() throws InterruptedException {
        for (Thread th : threads) {
            th.start();
        }
        try {
            barrier.await();
        } catch (BrokenBarrierException e) {
            join();
            throw new IllegalStateException("a benchmark thread failed during set-up", failure.get());
        } catch (InterruptedException e) {
            barrier.reset();
            join();
            throw e;
        }
        return startNanos;
    }

    void join() throws InterruptedException {
        for (Thread th : threads) {
            th.join();
        }
        Throwable f = failure.get();
        if (f != null) {
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("a benchmark thread failed", f);
        }
    }

    static void sleepUntil(long deadline) throws InterruptedException {
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
