package org.scaleml.concurrent.counter;

import java.util.concurrent.atomic.AtomicLong;

/** {@code atomic}: one {@link AtomicLong}; exact, linearizable reads; every increment contends for one cache line. */
final class AtomicLongCounter implements ApproximateCounter {
    private final AtomicLong count = new AtomicLong();

    @Override
    public void increment() {
        count.getAndIncrement();
    }

    @Override
    public long read() {
        return count.get();
    }

    @Override
    public long sum() {
        return count.get();
    }

    @Override
    public String spec() {
        return "atomic";
    }

    @Override
    public String toString() {
        return spec() + "(" + count.get() + ")";
    }
}
