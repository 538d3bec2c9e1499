package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code pbq}: the PriorityBlockingQueue adapter (exact). */
class BlockingQueueAdapterTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "pbq";
    }

    @Override
    protected boolean relaxed() {
        return false;
    }
}
