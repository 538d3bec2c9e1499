package org.scaleml.sched;

/**
 * Pushes a run's initial tasks in parallel: every worker calls {@link #seed} once, on its own thread, before it
 * starts executing tasks; each pushes its share (e.g. the nodes {@code v} with {@code v % threads == worker}). No
 * worker concludes termination before all have finished seeding. Use it when there are many initial tasks
 * (greedy MIS or connected components start with one task per node).
 */
@FunctionalInterface
public interface PartitionedSeeder {

    /** Pushes worker {@code worker}'s share of the initial tasks through {@code sink}. */
    void seed(int worker, int threads, TaskSink sink);
}
