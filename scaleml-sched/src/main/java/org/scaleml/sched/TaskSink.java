package org.scaleml.sched;

/**
 * Where new tasks go: a seeder's initial tasks, or the tasks a running task creates.
 *
 * <p>A sink belongs to one thread (a worker, or the thread seeding the run) and must only be used by it, and only
 * while it is being handed to the caller (during {@link TaskSeeder#seed} or {@link TaskBody#execute}).
 */
public interface TaskSink {

    /**
     * Schedules a task. Smaller priorities run first, as far as the scheduler's queue orders them (exactly for
     * {@code exact}, approximately for relaxed queues). Any {@code long} is allowed for both arguments.
     *
     * <p>Memory consistency: actions before {@code push} happen-before the execution of the pushed task.
     */
    void push(long priority, long payload);
}
