package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code mq:c=4,d=8}: a MultiQueue with four 8-ary heaps per thread. */
class MultiQueueWideTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "mq:c=4,d=8";
    }

    @Override
    protected boolean relaxed() {
        return true;
    }
}
