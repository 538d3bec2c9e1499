package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code mq:c=1}: a MultiQueue with one heap per thread, which is exact when sized for one thread. */
class MultiQueueSingleHeapTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "mq:c=1";
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
