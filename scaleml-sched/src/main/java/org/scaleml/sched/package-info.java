/**
 * The relaxed priority-scheduler runtime: runs prioritized tasks on a chosen number of threads over any
 * concurrent priority queue of {@code org.scaleml.concurrent.pq}, exact or relaxed, detects termination exactly
 * and accounts for the work done, so that every iterative algorithm built on it can report its extra work
 * relative to the exact schedule.
 *
 * <p>Entry point: {@link org.scaleml.sched.Scheduler}, built from a scheduler name ({@code exact}, {@code mq},
 * {@code mq-tl}, {@code smq}, {@code obim}, ... or any queue specification) and a thread count; its
 * {@code run(seeder, body)} returns {@link org.scaleml.sched.RunStats}.
 *
 * <p>Design choices that hold across the package:
 * <ul>
 *   <li>Tasks are two {@code long}s, {@code (priority, payload)}, as in the queues: no task objects, no boxing.
 *       Algorithms keep their state in primitive arrays indexed by the payload (a node id, an edge id).</li>
 *   <li>Stale and failed tasks are not removed from the queue; the task body recognizes them when it runs (e.g.
 *       its priority is no longer the node's distance) and returns {@code false}, which is counted as wasted
 *       work. This is the execution model of relaxed schedulers (Alistarh, Brown, Kopinsky, Nadiradze, PODC
 *       2018), and it makes every queue usable without a decrease-key operation.</li>
 *   <li>Termination is detected from per-worker, padded, monotone {@code created}/{@code completed} counters;
 *       nothing shared is written per task (see the block comment in {@code Scheduler}).</li>
 *   <li>Caller-owned threads: the calling thread is worker 0, the others come from a caller-supplied
 *       {@link java.util.concurrent.ThreadFactory} or are plain daemon threads, and all are joined before a run
 *       returns. No thread or pool outlives a run, so nothing needs closing.</li>
 *   <li>Implementation classes are package-private; the public surface is the scheduler, its functional
 *       interfaces, the statistics record, the progress monitor and the exception.</li>
 * </ul>
 */
package org.scaleml.sched;
