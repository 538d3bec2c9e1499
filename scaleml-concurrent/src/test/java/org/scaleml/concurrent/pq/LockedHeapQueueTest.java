package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code heap}: the coarse-locked 4-ary heap (exact). */
class LockedHeapQueueTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "heap";
    }

    @Override
    protected boolean relaxed() {
        return false;
    }
}
