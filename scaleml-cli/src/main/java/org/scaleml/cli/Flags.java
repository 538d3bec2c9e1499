package org.scaleml.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scaleml.concurrent.pq.PriorityQueues;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Range checks for option values, failing with a {@link ParameterException} that names the flag and the value. */
final class Flags {
    private Flags() {
    }

    static final int MAX_THREADS = 1024;
    static final long MAX_ELEMENTS = 100_000_000L;

    static void threads(CommandSpec spec, int threads) {
        if (threads < 1 || threads > MAX_THREADS) {
            throw fail(spec, "--threads must be between 1 and %d, got %d", MAX_THREADS, threads);
        }
    }

    static void seconds(CommandSpec spec, double seconds) {
        if (!(seconds > 0) || seconds > 86_400) {
            throw fail(spec, "--seconds must be positive and at most 86400, got %s", fmt(seconds));
        }
    }

    /**
     * A count given as text with an optional K/M/G suffix (powers of 1024), e.g. {@code 16M}, checked to lie in
     * {@code [min, max]}.
     */
    static long count(CommandSpec spec, String flag, String text, long min, long max) {
        long n;
        try {
            n = org.scaleml.comm.codec.CodecSpec.parseCount(text);
        } catch (NumberFormatException | ArithmeticException e) {
            throw fail(spec, "%s: not a count: '%s' (e.g. 1000000, 16M)", flag, text);
        }
        atLeast(spec, flag, n, min, max);
        return n;
    }

    static void atLeast(CommandSpec spec, String flag, long value, long min, long max) {
        if (value < min || value > max) {
            throw fail(spec, "%s must be between %d and %d, got %d", flag, min, max, value);
        }
    }

    /**
     * Checks every queue specification by building it once (cheap: queues allocate lazily or little), so that a
     * typo fails before any measurement starts. Returns the specs to run: the given ones, or all names.
     */
    static List<String> impls(CommandSpec spec, List<String> given, int threads, long seed) {
        List<String> specs = given == null || given.isEmpty() ? PriorityQueues.names() : given;
        List<String> out = new ArrayList<>();
        for (String s : specs) {
            String trimmed = s == null ? "" : s.trim();
            try {
                PriorityQueues.create(trimmed, threads, seed);
            } catch (IllegalArgumentException e) {
                String why = ScaleMl.oneLine(e.getMessage());
                // The library's messages usually quote the specification already.
                throw why.contains("'" + trimmed + "'")
                        ? fail(spec, "--impl: %s", why)
                        : fail(spec, "--impl '%s': %s", s, why);
            }
            out.add(trimmed);
        }
        return out;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static ParameterException fail(CommandSpec spec, String format, Object... args) {
        return new ParameterException(spec.commandLine(), String.format(Locale.ROOT, format, args));
    }
}
