package org.scaleml.concurrent.pq;

/** Tiny helpers shared by the queue tests: creation from a specification with a fixed seed, and drains. */
final class TestQueues {
    /** Every test uses this seed so that a failure can be replayed. */
    static final long SEED = 0x5CA1E_31L;

    private TestQueues() {
    }

    /** Creates a queue from a textual specification, sized for {@code threads} threads, with the fixed seed. */
    static ConcurrentPriorityQueue create(String spec, int threads) {
        return PriorityQueues.create(spec, threads, SEED);
    }

    /** A payload derived from a priority, used to check that payloads travel with their priorities. */
    static long payloadOf(long priority) {
        return Long.rotateLeft(priority, 17) ^ 0x9E3779B97F4A7C15L;
    }
}
