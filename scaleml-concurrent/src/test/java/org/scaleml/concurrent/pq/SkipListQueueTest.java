package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code skiplist}: the ConcurrentSkipListMap-based queue (exact). */
class SkipListQueueTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "skiplist";
    }

    @Override
    protected boolean relaxed() {
        return false;
    }
}
