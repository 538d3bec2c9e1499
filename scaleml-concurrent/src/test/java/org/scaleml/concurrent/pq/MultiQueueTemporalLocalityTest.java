package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code mq-tl}: the temporal-locality MultiQueue (stickiness and both buffers). */
class MultiQueueTemporalLocalityTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "mq-tl";
    }

    @Override
    protected boolean relaxed() {
        return true;
    }
}
