package org.scaleml.concurrent.pq;

/** Runs the {@link AbstractPriorityQueueTest} contract suite on {@code smq:psteal=0}: a stealing MultiQueue that never steals on its own initiative (it must still find elements in other heaps before reporting empty). */
class StealingMultiQueueNoStealTest extends AbstractPriorityQueueTest {
    @Override
    protected String spec() {
        return "smq:psteal=0";
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

    @Override
    protected boolean looksBeyondItsOwnElements() {
        return false;
    }
}
