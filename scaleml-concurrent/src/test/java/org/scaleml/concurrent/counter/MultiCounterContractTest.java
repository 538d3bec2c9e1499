package org.scaleml.concurrent.counter;

class MultiCounterContractTest extends AbstractApproximateCounterTest {
    @Override
    protected String spec() {
        return "multi";
    }

    /** m times the gap bound that {@link MultiCounterTest} checks: {@code m * (3 ln m + 6)}. */
    @Override
    protected long readBound(ApproximateCounter c) {
        int m = ((MultiCounter) c).counters();
        return (long) Math.ceil(m * MultiCounterTest.gapBound(m));
    }
}
