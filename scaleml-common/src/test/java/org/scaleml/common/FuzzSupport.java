package org.scaleml.common;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks shared by the fuzz targets of the reader modules (graph, bp, train), published in this module's test-jar:
 * an error message is one clean {@code file:position: reason}
 * line, and reading one input allocates at most a budget (so a length field cannot size an allocation before the
 * data that fills it has arrived).
 */
public final class FuzzSupport {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzSupport() {
    }

    /** Something a target runs on one input. */
    public interface Read {
        /**
         * Reads the input.
         *
         * @return bytes the result legitimately needs beyond the budget (for example the CSR arrays of a graph
         *     with many isolated nodes); 0 when the read was refused
         */
        long run() throws Exception;
    }

    /**
     * Runs {@code read} and fails with an {@link AssertionError} if it allocated more than {@code budget} bytes on
     * this thread, plus what its result needs. Exceptions from {@code read} propagate unchanged. Loading and
     * instrumenting classes the input reaches for the first time allocates on this thread too, so an input over
     * the budget is read a second time and fails only if it is over again.
     */
    public static void withinAllocation(long budget, Read read) throws Exception {
        for (int attempt = 0; ; attempt++) {
            long before = THREADS.getCurrentThreadAllocatedBytes();
            long allowance = read.run();
            long used = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (before < 0 || used <= budget + allowance) {
                return;
            }
            if (attempt == 1) {
                throw new AssertionError("reading one input allocated " + used + " bytes, over the budget of "
                        + budget + " + " + allowance + " for the result");
            }
        }
    }

    /**
     * Fails unless {@code message} starts with {@code name + ":"} and is one line without control characters (a
     * raw byte from the input must be escaped).
     */
    public static void assertCleanMessage(String message, String name, Throwable e) {
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

    /** A directory for the files the targets write their inputs to (the readers take paths). */
    private static final Path DIR = createDir();

    private static Path createDir() {
        try {
            Path d = Files.createTempDirectory("scaleml-fuzz");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code data} to the file {@code name} in a temporary directory (replacing it) and returns its path. */
    public static Path file(String name, byte[] data) throws IOException {
        Path f = DIR.resolve(name);
        Files.write(f, data);
        f.toFile().deleteOnExit();
        return f;
    }
}
