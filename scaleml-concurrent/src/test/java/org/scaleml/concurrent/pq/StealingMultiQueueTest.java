package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code smq}: the stealing MultiQueue with default parameters; one heap per thread, so exact when sized for one thread. */
class StealingMultiQueueTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "smq";
    }

    @Override
    protected boolean relaxed() {
        return true;
    }

    /** One thread means a single internal heap, and this configuration has no deletion buffer: exact order. */
    @Override
    protected boolean exactWithOneThread() {
        return true;
    }
}
