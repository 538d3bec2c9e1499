package org.scaleml.concurrent.pq;

/** Checks of a thief's copy of a stealing buffer, shared by the stealing-buffer jcstress tests. */
final class StealingBufferCopies {

    private StealingBufferCopies() {
    }

    /**
     * Whether {@code copy} holds exactly {@code n} elements equal to {@code expected}, given as interleaved
     * {@code (priority, payload)} pairs (so {@code n == expected.length / 2}).
     */
    static boolean matches(long[] copy, int n, long... expected) {
        if (2 * n != expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (copy[i] != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
