package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code mq:dbuf=16}: a MultiQueue with a deletion buffer only. */
class MultiQueueDeleteBufferTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "mq:dbuf=16";
    }

    @Override
    protected boolean relaxed() {
        return true;
    }
}
