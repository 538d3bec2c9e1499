package org.scaleml.sched;

/**
 * A worker's view of the run, passed to every {@link TaskBody#execute} call: pushes new tasks and tells which
 * worker is running. Owned by the worker's thread; do not keep it or use it from another thread.
 */
public interface TaskContext extends TaskSink {

    /** This worker's index, in {@code [0, threads())}; useful for per-worker scratch space. */
    int worker();

    /** Number of workers in the run. */
    int threads();
}
