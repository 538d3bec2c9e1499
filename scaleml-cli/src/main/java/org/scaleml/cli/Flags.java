package org.scaleml.cli;

import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Every thread count of a {@code --threads T,T,...} list. */
    static void threads(CommandSpec spec, List<Integer> threads) {
        for (int t : threads) {
            threads(spec, t);
        }
    }

    /**
     * Specifications given with a repeatable {@code flag} (or {@code defaults} when none), each trimmed and checked
     * by {@code check} (which throws {@link IllegalArgumentException} on a bad one), so that a typo fails before any
     * measurement starts.
     */
    static List<String> specs(CommandSpec spec, String flag, List<String> given, List<String> defaults,
                              java.util.function.Consumer<String> check) {
        List<String> out = new ArrayList<>();
        for (String s : given == null || given.isEmpty() ? defaults : given) {
            String trimmed = s == null ? "" : s.trim();
            try {
                check.accept(trimmed);
            } catch (IllegalArgumentException e) {
                throw fail(spec, "%s: %s", flag, ScaleMl.oneLine(e.getMessage()));
            }
            out.add(trimmed);
        }
        return out;
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

    /**
     * An input file given by {@code flag}: it must exist, be readable and not be a directory.
     *
     * @param what what the file should hold, e.g. "UAI model file"
     */
    static void inputFile(CommandSpec spec, String flag, Path file, String what) {
        if (Files.isDirectory(file)) {
            throw fail(spec, "%s %s is a directory; expected a %s", flag, file, what);
        }
        if (!Files.isRegularFile(file)) {
            throw fail(spec, "%s: no such %s: %s", flag, what, file);
        }
        if (!Files.isReadable(file)) {
            throw fail(spec, "%s %s is not readable", flag, file);
        }
    }

    /**
     * A file the command will write, checked before any work starts: its directory must exist (it is not
     * created) and the path must not name a directory. Null (option not given) passes.
     */
    static void outputFile(CommandSpec spec, String flag, Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw fail(spec, "%s %s is a directory; expected a file name", flag, file);
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw fail(spec, "%s %s: the directory %s does not exist", flag, file,
                    Files.exists(parent) ? parent + " is not a directory; " + parent : parent);
        }
        if (parent != null && !Files.isWritable(parent)) {
            throw fail(spec, "%s %s: the directory %s is not writable", flag, file, parent);
        }
    }

    /** A real number option that must be finite and within {@code [min, max]}. */
    static void finite(CommandSpec spec, String flag, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw fail(spec, "%s must be a number between %s and %s, got %s", flag, fmt(min), fmt(max), fmt(value));
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static ParameterException fail(CommandSpec spec, String format, Object... args) {
        return new ParameterException(spec.commandLine(), String.format(Locale.ROOT, format, args));
    }
}
