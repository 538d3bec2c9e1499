package org.scaleml.sched;

/**
 * Live progress of a run, for progress bars: pass one to {@link Scheduler#run(TaskSeeder, TaskBody, RunMonitor)}
 * and poll it from another thread. Reading costs a scan of the workers' counters (acquire loads) and nothing on
 * the workers' side: they update only their own padded counters, which they keep anyway for termination.
 *
 * <p>Thread-safe. Attach a monitor to one run at a time; after the run it keeps reporting that run's final
 * counts.
 */
public final class RunMonitor {
    private volatile Run run;

    void attach(Run r) {
        this.run = r;
    }

    /** Task bodies executed so far in the current (or last) run; 0 before any run. */
    public long tasksExecuted() {
        Run r = run;
        return r == null ? 0 : r.completedSum();
    }

    /** Tasks pushed so far (seeds included). {@code tasksCreated() - tasksExecuted()} estimates the backlog. */
    public long tasksCreated() {
        Run r = run;
        return r == null ? 0 : r.createdSum();
    }

    /** Whether the attached run is still executing tasks. */
    public boolean isRunning() {
        Run r = run;
        return r != null && r.isRunning();
    }
}
