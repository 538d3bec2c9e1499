package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code mq:stick=8}: a MultiQueue with stickiness only (no buffers). */
class MultiQueueStickyTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "mq:stick=8";
    }

    @Override
    protected boolean relaxed() {
        return true;
    }
}
