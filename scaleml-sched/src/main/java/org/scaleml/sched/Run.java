package org.scaleml.sched;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.scaleml.concurrent.pq.ConcurrentPriorityQueue;

/**
 * The shared state of one {@link Scheduler#run}: the queue, the workers and their counters, the run state and
 * the first failure. See {@link Scheduler} for the algorithm and the termination argument.
 */
final class Run {
    static final int RUNNING = 0;
    static final int DONE = 1;
    static final int STOPPED = 2;

    /** Failed polls spent spinning, then yielding, before an idle worker parks between polls. */
    private static final int SPIN_POLLS = 32;
    private static final int YIELD_POLLS = 256;
    private static final long PARK_NANOS = 20_000;
    /** Tasks per call of the hot loop (see drain). */
    private static final int DRAIN_BATCH = 256;
    /** Pushes a worker collects from one body before it inserts them one by one. */
    private static final int PENDING_CAPACITY = 64;

    final ConcurrentPriorityQueue queue;
    final int threads;
    final Worker[] workers;
    final WorkerCounters[] counters;
    /** Tasks pushed by a {@link TaskSeeder} on the calling thread; written once before any worker starts. */
    private volatile long seeded;
    /** Partitioned seeders still running; workers only conclude termination at 0. */
    private final AtomicInteger seedersPending;
    private volatile int state = RUNNING;
    /** The first failure; details below are written before it is set. */
    private final AtomicReference<Failure> failure = new AtomicReference<>();

    record Failure(Throwable cause, int worker, long priority, long payload, boolean inSeeder) {
    }

    Run(ConcurrentPriorityQueue queue, int threads, TaskBody body, PartitionedSeeder partitioned) {
        this.queue = queue;
        this.threads = threads;
        this.workers = new Worker[threads];
        this.counters = new WorkerCounters[threads];
        this.seedersPending = new AtomicInteger(partitioned == null ? 0 : threads);
        for (int k = 0; k < threads; k++) {
            counters[k] = new WorkerCounters();
        }
        for (int k = 0; k < threads; k++) { // registration order = worker index (per-thread-heap queues use it)
            workers[k] = new Worker(k, queue.register(), body, partitioned);
        }
    }

    void setSeeded(long n) {
        seeded = n;
    }

    boolean isRunning() {
        return state == RUNNING;
    }

    int state() {
        return state;
    }

    Failure failure() {
        return failure.get();
    }

    /** Stops every worker at its next check; the first failure wins. */
    void fail(Throwable cause, int worker, long priority, long payload, boolean inSeeder) {
        failure.compareAndSet(null, new Failure(cause, worker, priority, payload, inSeeder));
        state = STOPPED;
    }

    /** Stops every worker without a failure (e.g. the calling thread was interrupted). */
    void stop() {
        if (state == RUNNING) {
            state = STOPPED;
        }
    }

    long completedSum() {
        long c = 0;
        for (WorkerCounters w : counters) {
            c += w.completedAcquire();
        }
        return c;
    }

    long createdSum() {
        long n = seeded;
        for (WorkerCounters w : counters) {
            n += w.createdAcquire();
        }
        return n;
    }

    /**
     * True only if every task ever created has completed, so none is in flight and none can be created any more.
     * Reads all completed counters first, then all created counters (see {@link Scheduler}).
     */
    boolean quiescent() {
        if (seedersPending.get() != 0) {
            return false;
        }
        long completed = completedSum();
        long created = createdSum();
        return completed == created;
    }

    /** Marks the run finished (termination detected); stable, since nothing can create a task any more. */
    void terminate() {
        if (state == RUNNING) {
            state = DONE;
        }
    }

    /** One worker: its handle, counters and statistics; also the {@link TaskContext} its bodies see. */
    final class Worker implements TaskContext, Runnable {
        final int index;
        final ConcurrentPriorityQueue.Handle handle;
        private final WorkerCounters my;
        private final TaskBody body;
        private final PartitionedSeeder seeder;
        /** Statistics, plain: read by the calling thread after join. */
        long wasted;
        long emptyPolls;

        Worker(int index, ConcurrentPriorityQueue.Handle handle, TaskBody body, PartitionedSeeder seeder) {
            this.index = index;
            this.handle = handle;
            this.my = counters[index];
            this.body = body;
            this.seeder = seeder;
        }

        /**
         * Tasks pushed by the running body, not yet in the queue: (priority, payload) pairs, handed over together
         * with the next poll (one synchronized queue operation per task on queues that lock per operation).
         * Counted created when pushed, so they are in flight for the termination test while they wait here.
         */
        private final long[] pending = new long[2 * PENDING_CAPACITY];
        private int pendingCount;

        @Override
        public void push(long priority, long payload) {
            my.incrementCreated(); // counted before it becomes visible to anyone
            int n = pendingCount;
            if (n == PENDING_CAPACITY) {
                flushPending(); // a body (or a partitioned seeder) that pushes many: insert as it goes
                n = 0;
            }
            pending[2 * n] = priority;
            pending[2 * n + 1] = payload;
            pendingCount = n + 1;
        }

        private void flushPending() {
            final ConcurrentPriorityQueue.Handle h = handle;
            for (int i = 0, n = pendingCount; i < n; i++) {
                h.insert(pending[2 * i], pending[2 * i + 1]);
            }
            pendingCount = 0;
        }

        @Override
        public int worker() {
            return index;
        }

        @Override
        public int threads() {
            return threads;
        }

        @Override
        public void run() {
            if (seeder != null) {
                try {
                    seeder.seed(index, threads, this);
                    flushPending();
                } catch (Throwable t) {
                    fail(t, index, 0, 0, true);
                    return;
                } finally {
                    seedersPending.decrementAndGet();
                }
            }
            loop();
        }

        /**
         * Executes tasks while the queue hands them out, at most {@code max}; returns how many, or -1 if the run
         * failed or was stopped. A method of its own, called again and again, so that the JIT compiles the hot
         * path with the run's real profile instead of an on-stack replacement of a loop that runs once per run.
         */
        private int drain(ConcurrentPriorityQueue.Handle h, int max) {
            final TaskBody b = body;
            int done = 0;
            while (done < max && pollWithPending(h)) {
                long priority = h.priority();
                long payload = h.payload();
                try {
                    if (!b.execute(priority, payload, this)) {
                        wasted++;
                    }
                } catch (Throwable t) {
                    fail(t, index, priority, payload, false);
                    return -1;
                }
                my.incrementCompleted(); // after the body and all its pushes
                done++;
                if (state != RUNNING) {
                    return -1;
                }
            }
            return done;
        }

        /** Hands the pending pushes over and polls, in one queue operation. */
        private boolean pollWithPending(ConcurrentPriorityQueue.Handle h) {
            int n = pendingCount;
            pendingCount = 0;
            return h.insertAllThenDeleteMin(pending, n);
        }

        private void loop() {
            final ConcurrentPriorityQueue.Handle h = handle;
            int idlePolls = 0;
            for (;;) {
                int r = drain(h, DRAIN_BATCH);
                if (r < 0) {
                    return; // failed or stopped
                }
                if (r > 0) {
                    idlePolls = 0;
                    continue;
                }
                emptyPolls++;
                if (idlePolls == 0) {
                    h.flush(); // publish whatever this handle buffers before going idle (liveness, see Scheduler)
                }
                if (state != RUNNING) {
                    return;
                }
                if (quiescent()) {
                    terminate();
                    return;
                }
                idlePolls++;
                if (idlePolls < SPIN_POLLS) {
                    Thread.onSpinWait();
                } else if (idlePolls < YIELD_POLLS) {
                    Thread.yield();
                } else {
                    LockSupport.parkNanos(PARK_NANOS);
                }
            }
        }
    }
}
