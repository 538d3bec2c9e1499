package org.scaleml.graph.algo;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.scaleml.common.Threads;

/**
 * Worker threads kept between runs of the phase-structured parallel graph methods ({@link DeltaSteppingSssp},
 * {@link UnionFindComponents}, {@link UnionFindMsf}, {@link RoundsGreedyMis}, {@link RoundsGreedyMatching}), owned
 * by the caller: a method called inside {@link #call} runs on these threads instead of starting its own.
 *
 * <pre>{@code
 * try (GraphWorkers workers = new GraphWorkers(2)) {
 *     Run<Components> c = workers.call(() -> UnionFindComponents.run(g, 2));
 *     Run<ShortestPaths> p = workers.call(() -> DeltaSteppingSssp.run(g, 0, 2));
 * }
 * }</pre>
 *
 * <h2>Why</h2>
 * Without it every run starts its T-1 helper threads and waits for them to end. On the virtual machines these
 * methods were measured on, a thread needs 0.2 to 0.9 ms from {@code start()} to running its first instruction,
 * which is a sixth of a 5 ms connected-components run on New York, and waking a parked thread can take as long
 * (the idle virtual CPU has to be scheduled again). Kept workers wait for the next run spinning, then parked, and
 * start in microseconds while they spin.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Scope:</b> {@link #call} binds these workers to the calling thread for the duration of the call; a
 *       method that asks for at most {@link #threads()} threads uses them (the calling thread is worker 0), one
 *       that asks for more starts its own as without this class. Calls from several threads at once are run one
 *       after the other (one job at a time); a method run inside another's job starts its own threads.</li>
 *   <li><b>Results:</b> identical to the same method's without workers; only where the threads come from
 *       changes. Everything a worker wrote during a run happens-before the method's return.</li>
 *   <li><b>Threads:</b> {@code threads - 1} daemon threads named {@code scaleml-graph-k}, started by the
 *       constructor; after a run, and when {@link #call} begins, they spin for about {@link #SPIN_NANOS}
 *       nanoseconds (20 ms: a busy core, as an OpenMP runtime's spinning workers), then park until the next call
 *       or {@link #close}. {@link #close} stops and joins them; it is idempotent. A closed instance refuses
 *       {@link #call}.</li>
 * </ul>
 */
public final class GraphWorkers implements AutoCloseable {
    /** How long an idle worker spins before it parks, in nanoseconds. */
    static final long SPIN_NANOS = 20_000_000;

    private static final ThreadLocal<GraphWorkers> CURRENT = new ThreadLocal<>();

    private final int threads;
    private final Thread[] helpers;
    private final Object jobLock = new Object();
    /** Incremented (volatile) for every job and at close; workers wait for it to change. */
    private volatile long generation;
    private volatile boolean closed;
    // The current job: written by the submitter before the generation, read by workers after it.
    private WorkerTeam team;
    private WorkerTeam.Body body;
    private int helpersNeeded;
    private final AtomicInteger remaining = new AtomicInteger();
    private boolean busy;

    /**
     * Starts {@code threads - 1} worker threads (the caller of {@link #call} is the first worker).
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public GraphWorkers(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.helpers = new Thread[threads - 1];
        for (int k = 0; k < helpers.length; k++) {
            int worker = k + 1;
            Thread t = new Thread(() -> loop(worker), "scaleml-graph-" + worker);
            t.setDaemon(true);
            helpers[k] = t;
        }
        for (Thread t : helpers) {
            t.start();
        }
    }

    /** Number of workers, the caller of {@link #call} included. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code work} on the calling thread with these workers bound to it (see the class documentation).
     *
     * @throws IllegalStateException if closed
     */
    public <T> T call(Supplier<T> work) {
        Objects.requireNonNull(work, "work");
        if (closed) {
            throw new IllegalStateException("GraphWorkers closed");
        }
        wake();
        GraphWorkers previous = CURRENT.get();
        CURRENT.set(this);
        try {
            return work.get();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /**
     * Unparks the parked workers so that they spin, ready, by the time the method hands them its first phase:
     * waking a parked thread (an idle virtual CPU) took milliseconds on the machines this was measured on, which
     * is what keeping the threads is meant to save.
     */
    private void wake() {
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
    }

    /** The workers bound to the calling thread by {@link #call}, or null. */
    static GraphWorkers current() {
        return CURRENT.get();
    }

    /**
     * Runs {@code body} as workers 0..T-1 of {@code team} (T = {@code team.threads()}, at most {@link #threads()}):
     * worker 0 on the calling thread, the others on kept workers; returns when all have finished. Returns false,
     * running nothing, if this instance is closed or already running a job (the caller then starts threads).
     */
    boolean runJob(WorkerTeam team, WorkerTeam.Body body) {
        int needed = team.threads() - 1;
        synchronized (jobLock) {
            if (closed || busy || needed > helpers.length) {
                return false;
            }
            busy = true;
        }
        try {
            this.team = team;
            this.body = body;
            this.helpersNeeded = needed;
            remaining.set(needed);
            generation++; // volatile write: publishes the job fields above
            for (int k = 0; k < needed; k++) {
                LockSupport.unpark(helpers[k]); // harmless if it is spinning
            }
            team.work(0, body);
            for (int spins = 0; remaining.get() > 0; spins++) {
                if (spins < 1 << 12) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        } finally {
            this.team = null;
            this.body = null;
            synchronized (jobLock) {
                busy = false;
            }
        }
        return true;
    }

    private void loop(int worker) {
        long seen = 0;
        for (;;) {
            long g = awaitGeneration(seen);
            if (closed) {
                return;
            }
            seen = g;
            if (worker <= helpersNeeded) {
                WorkerTeam t = team;
                WorkerTeam.Body b = body;
                try {
                    t.work(worker, b);
                } finally {
                    remaining.decrementAndGet(); // publishes this worker's writes to the submitter
                }
            }
        }
    }

    /** Waits until {@link #generation} differs from {@code seen}: spins, then parks; spins again when woken. */
    private long awaitGeneration(long seen) {
        long start = System.nanoTime();
        long g;
        for (int spins = 0; (g = generation) == seen && !closed; spins++) {
            if ((spins & 63) != 0 || System.nanoTime() - start < SPIN_NANOS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(this);
                start = System.nanoTime(); // woken (by a job or by call's wake-up): spin again
            }
        }
        return g;
    }

    /** Stops and joins the worker threads; idempotent. */
    @Override
    public void close() {
        for (;;) {
            synchronized (jobLock) {
                if (closed) {
                    return;
                }
                if (!busy) {
                    closed = true; // no job runs now, and none can start
                    break;
                }
            }
            Thread.yield();
        }
        generation++;
        for (Thread t : helpers) {
            LockSupport.unpark(t);
        }
        Threads.joinAll(helpers);
    }
}
