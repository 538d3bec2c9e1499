package org.scaleml.graph.algo;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed team of worker threads for one run of a phase-structured parallel algorithm (delta-stepping, frontier
 * rounds, partitioned union-find): worker 0 is the calling thread, workers 1..T-1 run on the caller's kept {@link
 * GraphWorkers} when the run happens inside {@link GraphWorkers#call} (and no thread factory is given), else on
 * threads from the caller's {@link ThreadFactory} (default: new daemon threads named {@code scaleml-<name>-k}),
 * started for this run and joined before {@link #run} returns. The workers meet at a spinning barrier between
 * phases.
 *
 * <pre>{@code
 * WorkerTeam.run(threads, "sssp", null, (worker, team) -> {
 *     ... phase 1 on this worker's share ...
 *     team.await();          // every worker's phase-1 writes are visible after this
 *     ... phase 2 ...
 * });
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Barrier:</b> {@link #await} returns when all T workers have called it the same number of times; the
 *       arrivals are ordered by one atomic counter (volatile read-modify-write) and the release by a volatile
 *       write, so everything a worker wrote before its {@code await} happens-before everything any worker does
 *       after the same {@code await}. Waiters spin with {@link Thread#onSpinWait}, then yield: phases on these
 *       algorithms last microseconds, so parking would cost more than it saves; a team never has more threads
 *       than the caller asked for.</li>
 *   <li><b>Failure:</b> the first exception or error thrown by any worker is rethrown by {@link #run} (an
 *       unchecked exception as is, an error as is); the other workers are released from the barrier at once by
 *       an internal exception and end. Nothing hangs because one worker failed.</li>
 *   <li><b>Interrupts:</b> {@link #run} finishes joining the workers (they are finite) and then restores the
 *       caller's interrupt flag.</li>
 * </ul>
 *
 * <p>Package-private plumbing of the graph algorithms.
 */
final class WorkerTeam {
    /** The work of one worker; {@code worker} is 0..T-1, 0 being the caller. */
    @FunctionalInterface
    interface Body {
        void run(int worker, WorkerTeam team);
    }

    /** A half-open range of indices, for {@link #parallelFor}. */
    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    private static final VarHandle LONGS = ParallelRuns.LONGS;
    /** Slots of {@link #shared}, 128 bytes apart: arrivals in the current phase, and the phase number. */
    private static final int ARRIVED = 16;
    private static final int PHASE = 32;
    private static final int SPINS = 1 << 12;

    private final int threads;
    private final long[] shared = new long[PHASE + 16];
    private volatile Throwable failure;

    WorkerTeam(int threads) {
        this.threads = threads;
    }

    /** Number of workers, the caller included. */
    int threads() {
        return threads;
    }

    /**
     * Runs {@code body} on {@code threads} workers and returns when all have finished.
     *
     * @param name    part of the worker threads' names
     * @param factory source of worker threads 1..T-1, or null for new daemon threads
     * @throws IllegalArgumentException if {@code threads < 1}
     * @throws IllegalStateException    if a worker thread could not be started
     */
    static void run(int threads, String name, ThreadFactory factory, Body body) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        WorkerTeam team = new WorkerTeam(threads);
        GraphWorkers kept = factory == null && threads > 1 ? GraphWorkers.current() : null;
        if (kept == null || !kept.runJob(team, body)) {
            runOnNewThreads(team, name, factory, body);
        }
        Throwable f = team.failure;
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
        if (f != null) {
            throw new IllegalStateException("worker failed: " + f, f);
        }
    }

    /** Runs the team with workers 1..T-1 on threads started here, and joins them. */
    private static void runOnNewThreads(WorkerTeam team, String name, ThreadFactory factory, Body body) {
        Thread[] helpers = new Thread[team.threads - 1];
        int started = 0;
        try {
            for (; started < helpers.length; started++) {
                int worker = started + 1;
                Runnable work = () -> team.work(worker, body);
                Thread t = factory == null ? new Thread(work, "scaleml-" + name + "-" + worker)
                        : factory.newThread(work);
                if (t == null) {
                    throw new IllegalStateException("thread factory returned null for worker " + worker);
                }
                if (factory == null) {
                    t.setDaemon(true);
                }
                helpers[started] = t;
                t.start();
            }
        } catch (RuntimeException | Error e) {
            team.fail(e);
            joinAll(helpers, started);
            throw e instanceof IllegalStateException ? (IllegalStateException) e
                    : new IllegalStateException("could not start worker " + (started + 1) + ": " + e, e);
        }
        team.work(0, body);
        joinAll(helpers, started);
    }

    /**
     * Calls {@code body} on chunks of {@code 0..n-1} of {@code chunk} indices (the last may be shorter), claimed
     * by {@code threads} workers from a shared counter, and returns when all chunks are done.
     *
     * @throws IllegalArgumentException if {@code threads < 1} or {@code chunk < 1}
     */
    static void parallelFor(int n, int chunk, int threads, String name, RangeBody body) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk must be at least 1, got " + chunk);
        }
        int chunks = (int) ((n + (long) chunk - 1) / chunk);
        AtomicInteger next = new AtomicInteger();
        run(Math.max(1, Math.min(threads, chunks)), name, null, (worker, team) -> {
            for (int c; (c = next.getAndIncrement()) < chunks && !team.failed(); ) {
                int lo = c * chunk;
                body.run(lo, (int) Math.min((long) lo + chunk, n));
            }
        });
    }

    /**
     * Waits until every worker has reached this barrier (see the class documentation for the memory effects).
     * With one worker it returns at once.
     */
    void await() {
        if (threads == 1) {
            if (failure != null) {
                throw Aborted.INSTANCE;
            }
            return;
        }
        long phase = (long) LONGS.getVolatile(shared, PHASE);
        if ((long) LONGS.getAndAdd(shared, ARRIVED, 1L) + 1 == threads) {
            LONGS.setVolatile(shared, ARRIVED, 0L);
            LONGS.setVolatile(shared, PHASE, phase + 1); // releases the waiters
            return;
        }
        for (int spins = 0; (long) LONGS.getVolatile(shared, PHASE) == phase; spins++) {
            if (failure != null) {
                throw Aborted.INSTANCE;
            }
            if (spins < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Whether a worker has failed (long loops may poll it to stop early). */
    boolean failed() {
        return failure != null;
    }

    /** Runs {@code body} as worker {@code worker}, recording its failure (used by {@link GraphWorkers} too). */
    void work(int worker, Body body) {
        try {
            body.run(worker, this);
        } catch (Aborted a) {
            // another worker failed first; its failure is the one reported
        } catch (Throwable t) {
            fail(t);
        }
    }

    private synchronized void fail(Throwable t) {
        if (failure == null) {
            failure = t;
        }
    }

    private static void joinAll(Thread[] helpers, int count) {
        boolean interrupted = false;
        for (int k = 0; k < count; k++) {
            for (;;) {
                try {
                    helpers[k].join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // the workers are finite: finish joining, then restore the flag
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Thrown inside waiting workers when another failed; never leaves {@link #run}. */
    private static final class Aborted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Aborted INSTANCE = new Aborted();

        private Aborted() {
            super("another worker failed", null, false, false);
        }
    }
}
