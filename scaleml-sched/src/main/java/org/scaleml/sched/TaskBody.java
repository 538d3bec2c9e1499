package org.scaleml.sched;

/**
 * The code that executes one task. Called concurrently by every worker, so it must be thread-safe with respect
 * to the state it shares (typically through atomics on per-node arrays).
 *
 * <p>A body reports whether the task did useful work. Return {@code false} for a <em>stale</em> or <em>wasted</em>
 * task: one superseded after it was pushed (e.g. an SSSP task whose distance is no longer the node's best), or a
 * <em>failed</em> task of a relaxed iterative algorithm whose dependencies are not yet decided and which therefore
 * re-pushes itself (PODC 2018: it counts as wasted work). {@link RunStats#wastedTasks()} counts these.
 *
 * <p>A body may push any number of new tasks through {@code ctx} before it returns; they are counted as created
 * before this task is counted as completed, which is what makes termination detection exact. If it throws, the
 * whole run stops promptly and {@link Scheduler#run} throws a {@link TaskExecutionException} with this exception as
 * its cause.
 */
@FunctionalInterface
public interface TaskBody {

    /**
     * Executes the task {@code (priority, payload)}.
     *
     * @return {@code true} if the task did useful work, {@code false} if it was stale or wasted
     * @throws Exception to abort the run
     */
    boolean execute(long priority, long payload, TaskContext ctx) throws Exception;
}
