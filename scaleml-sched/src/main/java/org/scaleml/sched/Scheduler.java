package org.scaleml.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadFactory;

import org.scaleml.concurrent.pq.ConcurrentPriorityQueue;
import org.scaleml.concurrent.pq.PriorityQueues;

/**
 * Runs prioritized tasks on {@code T} worker threads over any {@link ConcurrentPriorityQueue}, exact or relaxed,
 * chosen by name, until no task is left; counts executed, wasted and idle work.
 *
 * <p><b>Tasks.</b> A task is a pair {@code (long priority, long payload)}; smaller priorities are preferred. A
 * {@link TaskSeeder} (or {@link PartitionedSeeder}) pushes the initial tasks; the {@link TaskBody} executes one
 * task, may push new ones through its {@link TaskContext}, and says whether the task was useful or wasted.
 *
 * <p><b>Schedulers.</b> {@code exact} (an alias of {@code heap}: one locked d-ary heap), {@code heap},
 * {@code skiplist}, {@code pbq} (exact); {@code mq}, {@code mq-tl}, {@code smq}, {@code obim} (relaxed); or any
 * queue specification of {@link PriorityQueues#create}, e.g. {@code "mq:c=4"} or {@code "obim:delta=8,chunk=32"}
 * ({@code exact:d=8} is {@code heap:d=8}). See {@link #names()}.
 *
 * <p><b>Termination.</b> {@link #run} returns when every task pushed during the run has been executed, exactly
 * once, and no task can be created any more: no worker stops while a task is in flight or sits in some queue
 * buffer. If a body throws, every worker stops as soon as its current body returns, the remaining tasks are
 * abandoned, and {@code run} throws {@link TaskExecutionException} with the body's exception as cause.
 *
 * <p><b>Threads.</b> Worker 0 runs on the thread calling {@code run}; workers 1..T-1 run on threads made by the
 * {@link ThreadFactory} given to the constructor (by default new daemon threads named
 * {@code scaleml-sched-<k>}) and are all joined before {@code run} returns or throws. Between runs the scheduler
 * owns no thread and no queue, so it needs no closing; every run uses a fresh queue created with the same seed.
 * Thread-safe and immutable: concurrent runs on one scheduler are independent of each other.
 *
 * <p><b>Memory consistency.</b> Actions of the seeder happen-before every task execution; actions in a task
 * before it pushes a task happen-before the execution of the pushed task; everything done by every task
 * happens-before {@code run} returns.
 *
 * <p><b>Cost.</b> Per task: one delete-min and its inserts on the queue, one interface call, one release store to
 * the worker's own padded {@code completed} counter and one per pushed task to its {@code created} counter, one
 * volatile read of the run state. No shared counter is written per task.
 */
public final class Scheduler {
    /*
     * Algorithm. Each worker owns a queue handle and loops: tryDeleteMin; on success run the body, then count the
     * task completed; on "empty" flush its handle (once per idle period), check the run state, run the
     * termination test, and back off (spin, then yield, then park for 20 us) before polling again. This is the
     * relaxed-scheduler execution model of [2] (the relaxed queue may hand out non-minimal tasks; the algorithm
     * on top detects stale tasks and counts them as wasted work) with a pluggable queue, including the bucketed
     * OBIM worklist of Galois [1].
     *
     * Termination detection without a shared per-task counter. Worker k keeps two monotone counters, written only
     * by itself with release stores: created[k], incremented BEFORE each task it pushes is inserted into the
     * queue, and completed[k], incremented AFTER a body has returned (so after all tasks that body pushed were
     * counted created). Seeds pushed on the calling thread are counted in `seeded` before any worker starts
     * (Thread.start orders it); partitioned seeders count into their worker's created[k], and nobody tests for
     * termination until all of them have finished (an atomic countdown read first).
     *
     * An idle worker reads all completed[k] (acquire), summing C, THEN all created[k] (acquire), summing N, and
     * concludes termination iff C == N. Why that is safe. Every completion it counted belongs to a distinct task
     * x executed by some worker k; x's creation (on worker j, or by the seeder) happened-before x was inserted,
     * which happened-before x was returned by delete-min (queue contract), which happened-before k's completion
     * store that the acquire read saw. The created[] reads come later in program order, so each read of
     * created[j] returns at least the count that includes x's creation (a read cannot return a value older than
     * one that happens-before it, and each counter is written by one thread only). Likewise every task pushed by
     * a completed task was counted created before the completion store, so it is counted in N too. Hence the
     * tasks counted in C map injectively into the creations counted in N, and N == C means: every creation
     * counted in N is that of a completed task, and every child of a completed task is itself completed. Every
     * task descends from a seed, and all seeds are counted, so by induction over the creation tree every task
     * that will ever exist is completed: none is in flight (executing, or buffered in some handle) and, since
     * only running tasks create tasks, none can appear. The DONE state is therefore stable and every worker may
     * exit. Conversely, while a task is in flight its creation is counted and its completion is not, so C < N and
     * nobody exits. (A reader can see N > C transiently in other ways, e.g. a creation counted before the read
     * but whose parent's completion came after the completed[] scan; that only delays the conclusion.)
     *
     * Relaxed queues and false "empty". A relaxed tryDeleteMin may fail while tasks exist, e.g. in another
     * handle's insertion or deletion buffer or in an OBIM push chunk. Those tasks are created but not completed,
     * so the test above fails and the worker keeps polling; it cannot spin forever: the holder of a buffer is
     * either busy, and then it keeps taking tasks (a handle's own buffers are served by its own tryDeleteMin)
     * until it becomes idle, or it is idle, and then it has flushed its handle when its idle period began, so
     * the tasks are in the shared structure. Once every holder has flushed and the queue is quiescent, the queue
     * contract says tryDeleteMin does not report empty while elements exist, so some idle worker picks them up.
     *
     * Failure. A body that throws records the first failure and sets the run state to STOPPED; every worker
     * reads the state after each task and each failed poll and exits. Counters then never balance, which is
     * why the state, not the counters, ends a failed run. The exception is rethrown on the calling thread after
     * all workers are joined, wrapped so the trace shows both the body and the run() call.
     *
     * [1] D. Nguyen, A. Lenharth, K. Pingali, "A Lightweight Infrastructure for Graph Analytics", SOSP 2013.
     * [2] D. Alistarh, T. Brown, J. Kopinsky, G. Nadiradze, "Relaxed Schedulers Can Efficiently Parallelize
     *     Iterative Algorithms", PODC 2018.
     */

    private final String name;
    private final String queueSpec;
    private final String queueName;
    private final int threads;
    private final long seed;
    private final ThreadFactory threadFactory;

    /**
     * A scheduler with default worker threads (new daemon threads per run).
     *
     * @param scheduler a scheduler name or queue specification (see the class documentation)
     * @param threads   number of workers, at least 1 (the calling thread is one of them)
     * @param seed      seed of the queue's random choices
     * @throws IllegalArgumentException on an unknown or invalid scheduler, or {@code threads < 1}
     */
    public Scheduler(String scheduler, int threads, long seed) {
        this(scheduler, threads, seed, null);
    }

    /**
     * A scheduler whose workers 1..T-1 run on threads from {@code threadFactory} (null: default threads).
     *
     * @throws IllegalArgumentException on an unknown or invalid scheduler, or {@code threads < 1}
     */
    public Scheduler(String scheduler, int threads, long seed, ThreadFactory threadFactory) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.queueSpec = queueSpec(scheduler);
        this.name = scheduler.trim();
        this.threads = threads;
        this.seed = seed;
        this.threadFactory = threadFactory;
        this.queueName = newQueue().name(); // validates the specification now, not at the first run
    }

    /** Scheduler names accepted besides full queue specifications: {@code exact}, then the queue names. */
    public static List<String> names() {
        List<String> names = new ArrayList<>();
        names.add("exact");
        names.addAll(PriorityQueues.names());
        return List.copyOf(names);
    }

    /**
     * The queue specification a scheduler name stands for: {@code exact} becomes {@code heap}, everything else
     * is passed on unchanged (it is validated by {@link PriorityQueues#create} when a scheduler is built).
     *
     * @throws IllegalArgumentException if {@code scheduler} is null or blank
     */
    public static String queueSpec(String scheduler) {
        if (scheduler == null || scheduler.isBlank()) {
            throw new IllegalArgumentException("empty scheduler name; known schedulers: " + String.join(", ", names())
                    + ", or a queue specification such as mq:c=4");
        }
        String s = scheduler.trim();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.equals("exact")) {
            return "heap";
        }
        if (lower.startsWith("exact:")) {
            return "heap" + s.substring("exact".length());
        }
        return s;
    }

    /** The scheduler name as given (trimmed). */
    public String name() {
        return name;
    }

    /** The queue specification used, e.g. {@code "heap"} for {@code exact}. */
    public String queueSpecification() {
        return queueSpec;
    }

    /** The queue's own name with its parameters, e.g. {@code "obim(delta=10,chunk=64)"}. */
    public String queueName() {
        return queueName;
    }

    /** Number of workers. */
    public int threads() {
        return threads;
    }

    /** Seed of the queue's random choices. */
    public long seed() {
        return seed;
    }

    /**
     * Seeds on the calling thread, then runs tasks until none is left.
     *
     * @throws TaskExecutionException if a task body threw (cause: what it threw)
     * @throws CancellationException  if the calling thread was interrupted while waiting for the other workers
     *                                (the run is stopped; the interrupt status is kept)
     * @throws IllegalStateException  if the thread factory fails to make a thread
     * @throws RuntimeException       whatever the seeder throws, unchanged (no worker has started then)
     */
    public RunStats run(TaskSeeder seeder, TaskBody body) {
        return run(seeder, body, null);
    }

    /** Like {@link #run(TaskSeeder, TaskBody)}, reporting progress through {@code monitor} (may be null). */
    public RunStats run(TaskSeeder seeder, TaskBody body, RunMonitor monitor) {
        Objects.requireNonNull(seeder, "seeder");
        return execute(seeder, null, Objects.requireNonNull(body, "body"), monitor);
    }

    /** Like {@link #run(TaskSeeder, TaskBody)}, but every worker seeds its own share in parallel. */
    public RunStats runPartitioned(PartitionedSeeder seeder, TaskBody body) {
        return runPartitioned(seeder, body, null);
    }

    /** Like {@link #runPartitioned(PartitionedSeeder, TaskBody)}, reporting progress through {@code monitor}. */
    public RunStats runPartitioned(PartitionedSeeder seeder, TaskBody body, RunMonitor monitor) {
        Objects.requireNonNull(seeder, "seeder");
        return execute(null, seeder, Objects.requireNonNull(body, "body"), monitor);
    }

    @Override
    public String toString() {
        return "Scheduler(" + name + ", queue=" + queueName + ", threads=" + threads + ")";
    }

    private ConcurrentPriorityQueue newQueue() {
        try {
            return PriorityQueues.create(queueSpec, threads, seed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown or invalid scheduler '" + name + "': " + e.getMessage()
                    + " (schedulers: " + String.join(", ", names()) + ", or a queue specification such as mq:c=4)", e);
        }
    }

    private RunStats execute(TaskSeeder seeder, PartitionedSeeder partitioned, TaskBody body, RunMonitor monitor) {
        long start = System.nanoTime();
        Run run = new Run(newQueue(), threads, body, partitioned);
        if (monitor != null) {
            monitor.attach(run);
        }
        try {
            if (seeder != null) {
                seed(run, seeder);
            }
            Thread[] started = startWorkers(run);
            run.workers[0].run(); // the calling thread is worker 0
            joinAll(run, started);
            long wall = System.nanoTime() - start;
            Run.Failure f = run.failure();
            if (f != null) {
                String what = f.inSeeder() ? "partitioned seeder" : "task (priority=" + f.priority() + ", payload="
                        + f.payload() + ")";
                throw new TaskExecutionException(what + " failed on worker " + f.worker() + ": " + f.cause(),
                        f.priority(), f.payload(), f.cause());
            }
            if (run.state() != Run.DONE) {
                throw new IllegalStateException("run stopped without terminating");
            }
            return stats(run, wall);
        } finally {
            run.stop();
            for (Run.Worker w : run.workers) {
                w.handle.close();
            }
        }
    }

    /** Pushes the seeds round-robin over the workers' handles, before any worker starts. */
    private static void seed(Run run, TaskSeeder seeder) {
        long[] count = new long[1];
        seeder.seed(new TaskSink() {
            private int next;

            @Override
            public void push(long priority, long payload) {
                count[0]++;
                run.workers[next].handle.insert(priority, payload);
                next = next + 1 == run.threads ? 0 : next + 1;
            }
        });
        run.setSeeded(count[0]);
    }

    private Thread[] startWorkers(Run run) {
        Thread[] started = new Thread[threads];
        for (int k = 1; k < threads; k++) {
            Thread t;
            try {
                t = threadFactory == null ? defaultThread(run.workers[k], k) : threadFactory.newThread(run.workers[k]);
                if (t == null) {
                    throw new IllegalStateException("thread factory returned null for worker " + k);
                }
                t.start();
            } catch (RuntimeException | Error e) {
                run.stop();
                joinAll(run, started);
                if (e instanceof IllegalStateException) {
                    throw e;
                }
                throw new IllegalStateException("could not start worker " + k + ": " + e, e);
            }
            started[k] = t;
        }
        return started;
    }

    private static Thread defaultThread(Runnable r, int k) {
        Thread t = new Thread(r, "scaleml-sched-" + k);
        t.setDaemon(true);
        return t;
    }

    /** Joins every started worker; on interrupt, stops the run, still joins, then reports the cancellation. */
    private static void joinAll(Run run, Thread[] started) {
        boolean interrupted = false;
        for (Thread t : started) {
            while (t != null) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    run.stop();
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            if (run.failure() == null) {
                throw new CancellationException("interrupted while waiting for the workers; run stopped");
            }
        }
    }

    private RunStats stats(Run run, long wall) {
        long tasks = 0;
        long wasted = 0;
        long empty = 0;
        long steals = 0;
        for (int k = 0; k < threads; k++) {
            tasks += run.counters[k].completedAcquire();
            wasted += run.workers[k].wasted;
            empty += run.workers[k].emptyPolls;
            long st = run.workers[k].handle.steals();
            steals = st < 0 || steals < 0 ? -1 : steals + st;
        }
        long created = run.createdSum();
        if (created != tasks) {
            throw new IllegalStateException("bug: " + created + " tasks created but " + tasks + " executed");
        }
        return new RunStats(name, queueName, threads, tasks, wasted, empty, steals, wall);
    }
}
