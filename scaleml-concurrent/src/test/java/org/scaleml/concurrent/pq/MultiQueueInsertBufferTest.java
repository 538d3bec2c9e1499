package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code mq:ibuf=16}: a MultiQueue with an insertion buffer only. */
class MultiQueueInsertBufferTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "mq:ibuf=16";
    }

    @Override
    protected boolean relaxed() {
        return true;
    }
}
