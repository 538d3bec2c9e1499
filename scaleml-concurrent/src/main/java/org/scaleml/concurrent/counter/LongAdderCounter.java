package org.scaleml.concurrent.counter;

import java.util.concurrent.atomic.LongAdder;

/**
 * {@code adder}: the JDK's {@link LongAdder}, whose cells multiply under contention; a read adds every cell, so it
 * is exact in quiescence but costs one cache miss per cell and is not linearizable under concurrent increments.
 */
final class LongAdderCounter implements ApproximateCounter {
    private final LongAdder adder = new LongAdder();

    @Override
    public void increment() {
        adder.increment();
    }

    @Override
    public long read() {
        return adder.sum();
    }

    @Override
    public long sum() {
        return adder.sum();
    }

    @Override
    public String spec() {
        return "adder";
    }

    @Override
    public String toString() {
        return spec() + "(" + adder.sum() + ")";
    }
}
