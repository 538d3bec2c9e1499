package org.scaleml.concurrent.pq;

import java.util.Locale;

/**
 * Argument checks with messages that name the parameter, its value and the allowed range, and the memory
 * check every queue runs on its parameters before it allocates anything.
 */
final class Checks {
    /**
     * Largest arity of a heap. Arity allocates nothing, but a sift-down scans all d children of a node, so beyond a
     * few dozen a heap only gets slower; the cap keeps every child index {@code d * i + d} far from overflow in
     * practice (the heap computes it in {@code long} anyway).
     */
    static final int MAX_ARITY = 1 << 16;

    /**
     * Largest element count of any one buffer or chunk a queue allocates up front (insertion and deletion buffers,
     * steal batches, OBIM chunks): keeps their {@code long[]} sizes (a few times the count) inside an int.
     */
    static final int MAX_BUFFER = 1 << 24;

    /** Bytes of one heap created with the usual initial capacity of 1024 elements (two long[1024] plus object). */
    static final long HEAP_BYTES = 2L * 1024 * Long.BYTES + 512;

    private Checks() {
    }

    static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
        return value;
    }

    static int between(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }

    static int arity(String name, int value) {
        return between(name, value, 2, MAX_ARITY);
    }

    static double probability(String name, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], got " + value);
        }
        return value;
    }

    /**
     * The memory a queue may allocate for its parameters before holding any element: half of the maximum heap
     * ({@link Runtime#maxMemory()}), leaving the rest to the elements and to the application around the queue.
     */
    static long memoryLimit() {
        return Runtime.getRuntime().maxMemory() / 2;
    }

    /** {@code a * b}, saturating at {@link Long#MAX_VALUE} (both non-negative). */
    static long times(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }

    /** {@code a + b}, saturating at {@link Long#MAX_VALUE} (both non-negative). */
    static long plus(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /**
     * Refuses a parameter whose implied allocation does not fit {@link #memoryLimit()}.
     *
     * @param name     the parameter as the user wrote it, e.g. {@code "queuesPerThread (c)"}
     * @param value    its value
     * @param bytes    the memory the whole configuration implies
     * @param detail   how {@code bytes} comes about, e.g. {@code "4000000 heaps of 16.5 KiB"}
     * @param min      smallest accepted value
     * @param maxFit   largest value that fits, the other parameters being as given (below {@code min}: none fits)
     * @throws IllegalArgumentException if {@code bytes} exceeds the limit
     */
    static void fitsInHeap(String name, long value, long bytes, String detail, long min, long maxFit) {
        long limit = memoryLimit();
        if (bytes <= limit) {
            return;
        }
        String accepted = maxFit >= min
                ? "accepted with these settings: " + min + ".." + maxFit
                : "no value fits with the other settings as given";
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%s = %d needs %s (%s), more than half of the maximum heap of %s; %s (or raise -Xmx)",
                name, value, bytes(bytes), detail, bytes(Runtime.getRuntime().maxMemory()), accepted));
    }

    /** A byte count for people: {@code 512 B}, {@code 16.5 KiB}, {@code 30.5 GiB}. */
    static String bytes(long n) {
        if (n == Long.MAX_VALUE) {
            return "more than 8 EiB";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = 0;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return u == 0 ? n + " B" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
