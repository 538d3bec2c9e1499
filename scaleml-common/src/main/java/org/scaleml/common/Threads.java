package org.scaleml.common;

/** Small helpers for the caller-owned threads of the parallel algorithms. */
public final class Threads {
    private Threads() {
    }

    /**
     * Joins every non-null thread, waiting through interrupts; if the caller was interrupted meanwhile, its interrupt
     * status is set again before returning, and the method returns true.
     */
    public static boolean joinAll(Thread... threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t != null) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return interrupted;
    }
}
