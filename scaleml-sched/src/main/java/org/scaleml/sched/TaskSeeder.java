package org.scaleml.sched;

/**
 * Pushes a run's initial tasks, on the thread that called {@link Scheduler#run}, before any worker starts. The
 * sink spreads the tasks round-robin over the workers' queue handles, so queues with per-thread heaps (the
 * stealing MultiQueue) start balanced.
 */
@FunctionalInterface
public interface TaskSeeder {

    /** Pushes the initial tasks; a run with no initial task ends at once. */
    void seed(TaskSink sink);
}
