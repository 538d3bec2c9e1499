package org.scaleml.bp.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

import org.scaleml.common.Threads;

/**
 * Threads kept for the rounds of one synchronous BP run: {@link #round} runs a body as workers 0..T-1 (worker 0
 * on the caller) and returns when all are done; between rounds the helpers spin, then yield, so the next round
 * starts in microseconds instead of the milliseconds a thread start or a wake-up from park costs on small virtual
 * machines. Owned by the run that creates it ({@link #close} joins the threads); not a pool shared between runs.
 *
 * <p>Memory effects: everything a worker writes in a round happens-before {@link #round} returns, and everything
 * the caller wrote before calling {@link #round} happens-before the workers run the body. A body that throws in
 * a helper makes {@link #round} rethrow it on the caller after the round.
 */
final class RoundWorkers implements AutoCloseable {
    private final Thread[] helpers;
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile long generation;
    private volatile boolean closed;
    private volatile RuntimeException failure;
    private IntConsumer body; // published by the volatile write of generation

    /** Starts {@code threads - 1} daemon helper threads named {@code name-k}. */
    RoundWorkers(int threads, String name) {
        helpers = new Thread[threads - 1];
        for (int k = 0; k < helpers.length; k++) {
            int worker = k + 1;
            helpers[k] = new Thread(() -> loop(worker), name + "-" + worker);
            helpers[k].setDaemon(true);
            helpers[k].start();
        }
    }

    int threads() {
        return helpers.length + 1;
    }

    /** Runs {@code b.accept(k)} for every worker k, the caller as worker 0; returns when all have finished. */
    void round(IntConsumer b) {
        body = b;
        remaining.set(helpers.length);
        failure = null;
        generation++; // volatile: publishes body and the caller's writes
        RuntimeException mine = null;
        try {
            b.accept(0);
        } catch (RuntimeException e) {
            mine = e;
        }
        for (int spins = 0; remaining.get() > 0; spins++) {
            if (spins < 1 << 14) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        if (mine != null) {
            throw mine;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void loop(int worker) {
        long seen = 0;
        while (true) {
            long g;
            for (int spins = 0; (g = generation) == seen && !closed; spins++) {
                if (spins < 1 << 14) {
                    Thread.onSpinWait();
                } else if (spins < 1 << 20) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(this, 100_000); // a long gap: stop burning the core
                }
            }
            if (closed) {
                return;
            }
            seen = g;
            try {
                body.accept(worker);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                remaining.decrementAndGet(); // publishes this worker's writes to the caller
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
        Threads.joinAll(helpers);
    }
}
