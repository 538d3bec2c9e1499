package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code smq:psteal=1,batch=1}: a stealing MultiQueue that compares with a random other heap on every delete-min and steals one element at a time. */
class StealingMultiQueueAlwaysStealTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "smq:psteal=1,batch=1";
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
