package org.scaleml.concurrent.pq;

/** PLACEHOLDER (being written): delegates to an exact locked heap so the build compiles. */
final class MultiQueue implements ConcurrentPriorityQueue {
    private final ConcurrentPriorityQueue delegate = new LockedHeapQueue(4);

    MultiQueue(int threads, MultiQueueConfig config, long seed) {
    }

    @Override
    public String name() {
        return "placeholder";
    }

    @Override
    public boolean isRelaxed() {
        return true;
    }

    @Override
    public Handle register() {
        return delegate.register();
    }

    @Override
    public long size() {
        return delegate.size();
    }
}
