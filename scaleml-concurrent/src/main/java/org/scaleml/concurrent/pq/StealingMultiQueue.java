package org.scaleml.concurrent.pq;

/** PLACEHOLDER (being written): delegates to an exact locked heap so the build compiles. */
final class StealingMultiQueue implements ConcurrentPriorityQueue {
    private final ConcurrentPriorityQueue delegate = new LockedHeapQueue(4);

    StealingMultiQueue(int threads, StealingConfig config, long seed) {
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
