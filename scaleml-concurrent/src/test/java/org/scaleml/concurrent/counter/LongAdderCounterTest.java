package org.scaleml.concurrent.counter;

class LongAdderCounterTest extends AbstractApproximateCounterTest {
    @Override
    protected String spec() {
        return "adder";
    }

    @Override
    protected long readBound(ApproximateCounter c) {
        return 0;
    }
}
