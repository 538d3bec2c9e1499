package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code heap:d=2}: the coarse-locked binary heap (exact). */
class LockedBinaryHeapQueueTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "heap:d=2";
    }

    @Override
    protected boolean relaxed() {
        return false;
    }
}
