package org.scaleml.concurrent.counter;

class AtomicLongCounterTest extends AbstractApproximateCounterTest {
    @Override
    protected String spec() {
        return "atomic";
    }

    @Override
    protected long readBound(ApproximateCounter c) {
        return 0;
    }
}
