package org.scaleml.graph;

import java.lang.management.ManagementFactory;

/**
 * Checks shared by the fuzz targets of this module: an error message is one clean {@code file:position: reason}
 * line, and reading one input allocates at most a budget (so a length field cannot size an allocation before the
 * data that fills it has arrived).
 */
final class FuzzSupport {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzSupport() {
    }

    /** Something a target runs on one input. */
    interface Read {
        void run() throws Exception;
    }

    /**
     * Runs {@code read} and fails with an {@link AssertionError} if it allocated more than {@code budget} bytes on
     * this thread. Exceptions from {@code read} propagate unchanged.
     */
    static void withinAllocation(long budget, Read read) throws Exception {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            read.run();
        } finally {
            long used = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (before >= 0 && used > budget) {
                throw new AssertionError("reading one input allocated " + used + " bytes, over the budget of "
                        + budget);
            }
        }
    }

    /**
     * Fails unless {@code message} starts with {@code name + ":"} and is one line without control characters (a
     * raw byte from the input must be escaped).
     */
    static void assertCleanMessage(String message, String name, Throwable e) {
        if (message == null || !message.startsWith(name + ":") || message.length() <= name.length() + 2) {
            throw new AssertionError("message does not start with '" + name + ":' and a reason: " + message, e);
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isISOControl(c)) {
                throw new AssertionError("control character U+" + Integer.toHexString(c) + " in message: "
                        + message, e);
            }
        }
    }
}
