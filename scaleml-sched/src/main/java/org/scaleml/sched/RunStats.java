package org.scaleml.sched;

/**
 * What one {@link Scheduler#run} did.
 *
 * <p>{@code tasks} counts every executed task body (useful or not); every task pushed in a run is executed
 * exactly once, so it also equals the number of tasks pushed (seeds included). The <em>extra work</em> of a run
 * is measured against the task count of the exact schedule: {@link #extraWorkRatio(long)}.
 *
 * @param scheduler   the scheduler name as given, e.g. {@code "obim"} or {@code "mq:c=4"}
 * @param queue       the queue's own name with its parameters, e.g. {@code "mq(c=2,d=4)"}
 * @param threads     number of workers
 * @param tasks       task bodies executed
 * @param wastedTasks executions that returned {@code false} (stale, superseded or failed tasks)
 * @param emptyPolls  delete-min attempts that found nothing (idle polling; large values mean starved workers)
 * @param steals      batches taken from other threads' parts of the queue (the {@code smq} queue), or {@code -1}
 *                    when the queue has no such notion
 * @param wallNanos   wall-clock time from the start of seeding until every worker had stopped
 */
public record RunStats(String scheduler, String queue, int threads, long tasks, long wastedTasks, long emptyPolls,
                       long steals, long wallNanos) {

    /** Tasks that did useful work: {@code tasks - wastedTasks}. */
    public long usefulTasks() {
        return tasks - wastedTasks;
    }

    /** Tasks executed beyond those of the exact schedule: {@code tasks - exactTasks} (may be negative). */
    public long extraTasks(long exactTasks) {
        return tasks - exactTasks;
    }

    /**
     * Extra work relative to the exact schedule, {@code (tasks - exactTasks) / exactTasks}: 0 means no extra
     * work, 0.1 means 10% more task executions than the exact schedule needed.
     *
     * @param exactTasks tasks executed by the exact schedule (e.g. a run with scheduler {@code exact} on one
     *                   thread, or the number of nodes an algorithm must settle)
     * @throws IllegalArgumentException if {@code exactTasks < 0}
     */
    public double extraWorkRatio(long exactTasks) {
        if (exactTasks < 0) {
            throw new IllegalArgumentException("exactTasks must be at least 0, got " + exactTasks);
        }
        if (exactTasks == 0) {
            return tasks == 0 ? 0.0 : Double.POSITIVE_INFINITY;
        }
        return (double) (tasks - exactTasks) / exactTasks;
    }

    /** Wall time in milliseconds. */
    public double wallMillis() {
        return wallNanos / 1e6;
    }
}
