package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code mq}: the classic MultiQueue with default parameters (c=2, no stickiness, no buffers). */
class MultiQueueClassicTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "mq";
    }

    @Override
    protected boolean relaxed() {
        return true;
    }
}
